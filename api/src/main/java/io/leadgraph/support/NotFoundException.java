package io.leadgraph.support;

/** The thing named by an id in the request does not exist (or the caller may not know it does). */
public class NotFoundException extends RuntimeException {

	public NotFoundException(String what, String id) {
		super(what + " " + id + " not found");
	}
}
