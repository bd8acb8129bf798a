package io.leadgraph.guard;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ QueryLimitSettings.class, RateLimitSettings.class })
class GuardConfiguration {
}
