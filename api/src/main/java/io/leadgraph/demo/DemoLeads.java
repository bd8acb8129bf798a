package io.leadgraph.demo;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import org.jspecify.annotations.Nullable;

import io.leadgraph.lead.LeadInputs.CompanyInput;
import io.leadgraph.lead.LeadInputs.CreateLeadInput;
import io.leadgraph.lead.LeadSource;
import io.leadgraph.lead.Owner;
import io.leadgraph.lead.Stage;

import org.springframework.graphql.data.ArgumentValue;

/** Generates plausible B2B leads: people at fictional companies, with a lifecycle path each. */
final class DemoLeads {

	record DemoLead(CreateLeadInput input, Map<Stage, @Nullable String> path) {
	}

	private record Firm(String name, String domain, int employees, String industry, String country) {
	}

	private static final List<Firm> FIRMS = List.of(new Firm("Northwind Analytics", "northwind-analytics.com", 420, "Software", "US"),
			new Firm("Bluepeak Logistics", "bluepeak-logistics.de", 1800, "Logistics", "DE"),
			new Firm("Cedar & Stone Legal", "cedarstone-legal.co.uk", 85, "Legal Services", "GB"),
			new Firm("Helix Biolabs", "helixbiolabs.com", 260, "Biotech", "US"),
			new Firm("Fjordline Energy", "fjordline-energy.no", 3200, "Energy", "NO"),
			new Firm("Maple Ridge Insurance", "mapleridge-insurance.ca", 950, "Insurance", "CA"),
			new Firm("Atelier Lumière", "atelier-lumiere.fr", 40, "Retail", "FR"),
			new Firm("Quantum Ledger", "quantumledger.io", 130, "Fintech", "GB"),
			new Firm("Sakura Robotics", "sakura-robotics.jp", 2400, "Manufacturing", "JP"),
			new Firm("Pampas AgroTech", "pampas-agrotech.com.ar", 310, "Agriculture", "AR"),
			new Firm("Brightwave Media", "brightwave.media", 60, "Media", "US"),
			new Firm("Alpenrose Hotels", "alpenrose-hotels.at", 700, "Hospitality", "AT"),
			new Firm("Kestrel Security", "kestrelsec.com", 220, "Cybersecurity", "US"),
			new Firm("Tulip Health Systems", "tuliphealth.nl", 1300, "Healthcare", "NL"),
			new Firm("Ironbridge Construction", "ironbridge-construction.com.au", 5100, "Construction", "AU"),
			new Firm("Nimbus Cloudworks", "nimbuscloudworks.com", 150, "Software", "US"),
			new Firm("Vista Telecom", "vistatelecom.es", 8800, "Telecommunications", "ES"),
			new Firm("Oakline Education", "oakline.edu.sg", 480, "Education", "SG"),
			new Firm("Polar Freight", "polarfreight.se", 640, "Logistics", "SE"),
			new Firm("Granite Capital", "granitecapital.ch", 95, "Financial Services", "CH"));

	private static final List<String> FIRST = List.of("Ada", "Ben", "Chloé", "Daniel", "Elif", "Farah", "Gustav",
			"Hannah", "Ivan", "Julia", "Kenji", "Lea", "Mateo", "Nora", "Omar", "Priya", "Quentin", "Rosa", "Sven",
			"Tomás", "Uma", "Viktor", "Wen", "Yara", "Zoe");

	private static final List<String> LAST = List.of("Andersen", "Brooks", "Costa", "Dubois", "Eriksen", "Fischer",
			"García", "Haddad", "Ito", "Jansen", "Kowalski", "López", "Müller", "Nakamura", "O'Brien", "Patel",
			"Rossi", "Schmidt", "Tanaka", "Vargas", "Weber", "Yilmaz");

	private static final List<String> TITLES = List.of("VP Marketing", "Head of Sales", "Marketing Manager",
			"CTO", "Director of Operations", "Demand Generation Lead", "CFO", "IT Manager", "Procurement Specialist",
			"Chief Revenue Officer", "Growth Marketer", "Sales Operations Analyst");

	private static final List<Owner> REPS = List.of(new Owner("rep-avery", "Avery Chen"),
			new Owner("rep-jordan", "Jordan Blake"), new Owner("rep-sam", "Sam Okafor"));

	private final Random random;

	DemoLeads(Random random) {
		this.random = random;
	}

	DemoLead next(int index) {
		Firm firm = FIRMS.get(random.nextInt(FIRMS.size()));
		String first = pick(FIRST);
		String last = pick(LAST);
		String local = (ascii(first) + "." + ascii(last)).toLowerCase(Locale.ROOT);
		String email = local + (index >= FIRST.size() ? String.valueOf(index) : "") + "@" + firm.domain();
		LeadSource source = source();
		Map<Stage, @Nullable String> path = path();
		Owner owner = path.containsKey(Stage.SQL) ? pick(REPS) : null;
		var company = new CompanyInput(ArgumentValue.ofNullable(firm.name()), ArgumentValue.ofNullable(firm.domain()),
				ArgumentValue.ofNullable(firm.employees()), ArgumentValue.ofNullable(firm.industry()),
				ArgumentValue.ofNullable(firm.country()));
		Map<String, @Nullable Object> attributes = new LinkedHashMap<>();
		attributes.put("newsletter", random.nextBoolean());
		if (random.nextInt(3) == 0) {
			attributes.put("preferredLanguage", firm.country().equals("DE") ? "de" : "en");
		}
		var input = new CreateLeadInput(email, first, last, pick(TITLES),
				"+1 555 " + (1000 + random.nextInt(9000)), company, source, owner, attributes);
		return new DemoLead(input, path);
	}

	private LeadSource source() {
		int roll = random.nextInt(100);
		if (roll < 45) {
			return LeadSource.INBOUND;
		}
		if (roll < 65) {
			return LeadSource.OUTBOUND;
		}
		if (roll < 75) {
			return LeadSource.EVENT;
		}
		if (roll < 85) {
			return LeadSource.REFERRAL;
		}
		return roll < 93 ? LeadSource.PARTNER : LeadSource.IMPORT;
	}

	/** A funnel: most leads stay early, fewer reach each later stage; some fall out with a reason. */
	private Map<Stage, @Nullable String> path() {
		Map<Stage, @Nullable String> path = new LinkedHashMap<>();
		int roll = random.nextInt(100);
		if (roll < 40) {
			return path;
		}
		if (roll < 47) {
			path.put(Stage.DISQUALIFIED, "Student or job seeker, not a buyer");
			return path;
		}
		path.put(Stage.MQL, "Score crossed the MQL threshold");
		if (roll < 62) {
			return path;
		}
		if (roll < 70) {
			path.put(Stage.RECYCLED, "Not ready: budget planned for next fiscal year");
			return path;
		}
		path.put(Stage.SQL, "Accepted by sales after discovery call");
		if (roll < 82) {
			return path;
		}
		path.put(Stage.OPPORTUNITY, "Qualified opportunity opened");
		if (roll < 92) {
			return path;
		}
		path.put(Stage.CUSTOMER, "Contract signed");
		return path;
	}

	private <T> T pick(List<T> values) {
		return values.get(random.nextInt(values.size()));
	}

	private static String ascii(String name) {
		return java.text.Normalizer.normalize(name, java.text.Normalizer.Form.NFD).replaceAll("[^A-Za-z]", "");
	}
}
