/**
 * What every plugin shares: the factory services the platform finds by type name, the context a component is created with, typed configuration and lifecycle.
 *
 * <p>1.1.0: {@code ComponentKind.SINK_SELECTOR}. 1.2.0: {@link org.sluice.api.component.Range} and
 * {@link org.sluice.api.component.DefaultWhenUnparsable} on configuration types. 1.3.0:
 * {@link org.sluice.api.component.ComponentContext#lookup} of named parts (serializers) other plugins provide, and
 * {@link org.sluice.api.component.ProviderUnavailableException}; {@link org.sluice.api.component.IncludeKeys},
 * keys a support library declares once for several components. 1.4.0:
 * {@link org.sluice.api.component.ConfigurationRules}, the one implementation of these rules, which the platform and
 * the API test kit both use.
 */
@org.osgi.annotation.versioning.Version("1.4.0")
package org.sluice.api.component;
