/**
 * Channels and their transactions. A channel is touched only inside a transaction: begin, put or take, commit, rollback in catch, close in finally.
 */
@org.osgi.annotation.versioning.Version("1.0.0")
package org.sluice.api.channel;
