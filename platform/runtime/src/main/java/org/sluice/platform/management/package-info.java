/**
 * The running agents as operators and tools see them: the {@link org.sluice.platform.management.AgentRuntime}
 * service and the status of each configured component. The only package the platform bundle exports; the
 * engine behind it stays private so it can change without a version bump here.
 */
@org.osgi.annotation.versioning.Version("1.1.0")
package org.sluice.platform.management;
