package io.leadgraph.support;

import java.util.List;

/** Input that cannot be accepted; carries every problem found, not only the first. */
public class InvalidInputException extends RuntimeException {

	private final List<FieldProblem> problems;

	public InvalidInputException(List<FieldProblem> problems) {
		super(problems.size() + " invalid input field(s)");
		this.problems = List.copyOf(problems);
	}

	public InvalidInputException(String field, String code, String message) {
		this(List.of(new FieldProblem(field, code, message)));
	}

	public List<FieldProblem> problems() {
		return problems;
	}
}
