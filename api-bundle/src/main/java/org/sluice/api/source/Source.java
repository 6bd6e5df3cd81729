package org.sluice.api.source;

import org.osgi.annotation.versioning.ConsumerType;
import org.sluice.api.component.Lifecycle;

/** A source of events; either an {@link EventDrivenSource} or a {@link PollableSource}. */
@ConsumerType
public interface Source extends Lifecycle {
}
