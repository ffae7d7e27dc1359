package io.refinery.forecasting.run;

import io.refinery.forecasting.ForecastRun;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/** Announces every stored state of a run as an application event (the live stream listens). */
@Component
class RunEvents {

    private final ApplicationEventPublisher publisher;

    RunEvents(ApplicationEventPublisher publisher) {
        this.publisher = publisher;
    }

    void publish(ForecastRun run) {
        publisher.publishEvent(run);
    }
}
