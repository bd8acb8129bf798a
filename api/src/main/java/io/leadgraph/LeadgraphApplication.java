package io.leadgraph;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class LeadgraphApplication {

	public static void main(String[] args) {
		SpringApplication.run(LeadgraphApplication.class, args);
	}
}
