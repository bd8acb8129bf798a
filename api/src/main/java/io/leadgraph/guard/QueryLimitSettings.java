package io.leadgraph.guard;

import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * What one GraphQL document may ask for ({@code leadgraph.limits.*}); the README lists the defaults
 * and the cost model.
 *
 * @param maxDocumentCharacters characters of the document (variables not counted)
 * @param maxTokens grammar tokens of the document
 * @param maxDepth levels of nested fields, fragments expanded (introspection fields not counted)
 * @param maxAliases aliased fields, fragments expanded
 * @param maxAliasesForPartners the same for partner tokens
 * @param maxDirectives directives anywhere in the document
 * @param maxCost the operation's cost: each field 1, plus 1 per item of the lists among its
 * arguments (a batch pays per item), and a field with {@code first}/{@code last} multiplies the cost
 * of what it selects by that number ({@link #assumedPageSize} when absent)
 * @param maxPageSize {@code first} and {@code last} of any field
 * @param assumedPageSize what an absent {@code first}/{@code last} counts as in the cost
 * @param introspection who may query {@code __schema} and {@code __type}
 * @param maxRequestSize the body of a GraphQL request over HTTP: document, variables and all
 * @param fieldCosts what one call of a field costs instead of 1, by coordinate
 * ({@code Mutation.simulateScoringPolicy}): for fields whose work is not in what they select
 */
@ConfigurationProperties("leadgraph.limits")
record QueryLimitSettings(@DefaultValue("15000") int maxDocumentCharacters, @DefaultValue("1000") int maxTokens,
		@DefaultValue("10") int maxDepth, @DefaultValue("15") int maxAliases, @DefaultValue("5") int maxAliasesForPartners,
		@DefaultValue("50") int maxDirectives, @DefaultValue("5000") int maxCost, @DefaultValue("100") int maxPageSize,
		@DefaultValue("50") int assumedPageSize, @DefaultValue("EVERYONE") Introspection introspection,
		@DefaultValue("2MB") DataSize maxRequestSize, @DefaultValue Map<String, Long> fieldCosts) {

	enum Introspection {
		EVERYONE, ADMINS
	}
}
