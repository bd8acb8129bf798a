package io.leadgraph.support;

/**
 * One thing wrong with one input field.
 *
 * @param field path of the field in the operation's input, e.g. {@code input.company.country}
 * @param code stable machine-readable code, e.g. {@code INVALID_EMAIL}
 * @param message a sentence for people
 */
public record FieldProblem(String field, String code, String message) {
}
