package io.leadgraph.support;

/** A failure that ends a subscription's stream with a stable error code clients act on. */
public abstract class CodedStreamFailure extends RuntimeException {

	private final String code;

	protected CodedStreamFailure(String code, String message) {
		super(message, null, false, false);
		this.code = code;
	}

	public String code() {
		return code;
	}
}
