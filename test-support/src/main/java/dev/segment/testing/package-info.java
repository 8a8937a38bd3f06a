/**
 * What every module's tests share. The kinds of test: {@link dev.segment.testing.ModelTest}, {@link
 * dev.segment.testing.SystemTest} and {@link dev.segment.testing.ClusterTest} mark the tests that need more than this
 * JVM and the project's code (a class carries each kind that applies; a method can carry one for itself); a test
 * without any of them is a unit test, run by {@code mvn test}.
 */
package dev.segment.testing;
