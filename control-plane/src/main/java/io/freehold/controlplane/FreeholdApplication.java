package io.freehold.controlplane;

import io.freehold.controlplane.platform.FaultPoints;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class FreeholdApplication {

    public static void main(String[] args) {
        FaultPoints.announce();
        SpringApplication.run(FreeholdApplication.class, args);
    }
}
