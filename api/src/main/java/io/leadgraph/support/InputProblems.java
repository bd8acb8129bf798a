package io.leadgraph.support;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

/** Collects field problems while validating an input, then throws them all at once. */
public final class InputProblems {

	private final List<FieldProblem> problems = new ArrayList<>();

	public InputProblems add(String field, String code, String message) {
		problems.add(new FieldProblem(field, code, message));
		return this;
	}

	public InputProblems maxLength(String field, @Nullable String value, int max) {
		if (value != null && value.length() > max) {
			add(field, "TOO_LONG", "must be at most " + max + " characters");
		}
		return this;
	}

	public boolean isEmpty() {
		return problems.isEmpty();
	}

	public void throwIfAny() {
		if (!problems.isEmpty()) {
			throw new InvalidInputException(problems);
		}
	}
}
