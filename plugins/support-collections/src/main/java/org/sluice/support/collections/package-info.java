/**
 * Collections of primitive longs for plugins that hold millions of them (a queue of event pointers, a set of
 * pointers seen at replay): a long in an array costs 8 bytes, a boxed one in a java.util collection four to ten
 * times that. Compiled into each plugin bundle that uses it (bnd {@code -conditionalpackage}); never exported.
 */
package org.sluice.support.collections;
