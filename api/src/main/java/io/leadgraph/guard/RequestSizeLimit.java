package io.leadgraph.guard;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses a GraphQL request over HTTP whose body is larger than {@code leadgraph.limits.max-request-size}
 * (2 MB) with HTTP 413 and {@code MAX_REQUEST_SIZE_EXCEEDED}, before anything reads it: the document
 * has its own limits, its variables (a batch of touchpoints, a policy) had none. A body sent without
 * a length is read up to the limit and no further.
 */
@Component
class RequestSizeLimit extends OncePerRequestFilter {

	private final long limit;

	private final String path;

	private final JsonMapper json;

	RequestSizeLimit(QueryLimitSettings settings, @Value("${spring.graphql.http.path:/graphql}") String path,
			JsonMapper json) {
		this.limit = settings.maxRequestSize().toBytes();
		this.path = path;
		this.json = json;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !HttpMethod.POST.matches(request.getMethod()) || !path.equals(request.getServletPath());
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		long declared = request.getContentLengthLong();
		if (declared > limit) {
			refuse(response);
			return;
		}
		if (declared >= 0) {
			chain.doFilter(request, response); // the container reads no more than the declared length
			return;
		}
		byte[] body = request.getInputStream().readNBytes((int) Math.min(limit + 1, Integer.MAX_VALUE));
		if (body.length > limit) {
			refuse(response);
			return;
		}
		chain.doFilter(new ReadBody(request, body), response);
	}

	private void refuse(HttpServletResponse response) throws IOException {
		response.setStatus(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE);
		response.setContentType(MediaType.APPLICATION_JSON_VALUE);
		json.writeValue(response.getOutputStream(), Map.of("errors", List.of(Map.of("message",
				"The request body is larger than " + limit + " bytes", "extensions",
				Map.of("classification", "BAD_REQUEST", "code", "MAX_REQUEST_SIZE_EXCEEDED", "limit", limit)))));
	}

	/** The request with its body already read, for those after this filter to read again. */
	private static final class ReadBody extends HttpServletRequestWrapper {

		private final byte[] body;

		ReadBody(HttpServletRequest request, byte[] body) {
			super(request);
			this.body = body;
		}

		@Override
		public long getContentLengthLong() {
			return body.length;
		}

		@Override
		public int getContentLength() {
			return body.length;
		}

		@Override
		public ServletInputStream getInputStream() {
			var bytes = new ByteArrayInputStream(body);
			return new ServletInputStream() {

				@Override
				public int read() {
					return bytes.read();
				}

				@Override
				public int read(byte[] buffer, int offset, int length) {
					return bytes.read(buffer, offset, length);
				}

				@Override
				public boolean isFinished() {
					return bytes.available() == 0;
				}

				@Override
				public boolean isReady() {
					return true;
				}

				@Override
				public void setReadListener(ReadListener listener) {
					try {
						listener.onDataAvailable();
						listener.onAllDataRead();
					}
					catch (IOException ex) {
						listener.onError(ex);
					}
				}
			};
		}

		@Override
		public BufferedReader getReader() {
			return new BufferedReader(new InputStreamReader(getInputStream(), Charset.forName(
					getCharacterEncoding() != null ? getCharacterEncoding() : StandardCharsets.UTF_8.name())));
		}
	}
}
