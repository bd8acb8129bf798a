package io.leadgraph.event;

import io.leadgraph.support.CodedStreamFailure;

/** The subscriber's token expired; it should subscribe again, with a fresh token, from its last cursor. */
public class TokenExpiredException extends CodedStreamFailure {

	public TokenExpiredException() {
		super("TOKEN_EXPIRED", "the token of this subscription expired; subscribe again with a fresh token from the last cursor received");
	}
}
