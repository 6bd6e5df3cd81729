/**
 * Channels and their transactions. A channel is touched only inside a transaction: begin, put or take, commit, rollback in catch, close in finally.
 *
 * <p>1.1.0: the contexts inherit {@code ComponentContext.lookup} (org.sluice.api.component 1.3.0);
 * {@code AbstractTransaction.put} and {@code take} are public, for wrappers that hold the thread's transaction.
 */
@org.osgi.annotation.versioning.Version("1.1.0")
package org.sluice.api.channel;
