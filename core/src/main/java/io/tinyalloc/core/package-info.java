/**
 * The tinyalloc engine. Only {@link io.tinyalloc.core.Engine} and
 * {@link io.tinyalloc.core.EngineSettings} are public, for the configuration module; everything
 * else is package-private, one concern a class:
 *
 * <ul>
 *   <li>{@code EngineAllocator}: the {@link io.tinyalloc.Allocator}; the fast paths and the state
 *       heaps share on their slow paths;</li>
 *   <li>{@code Heap} and {@code HeapRegistry}: the per-thread front ends, and which thread gets
 *       which;</li>
 *   <li>{@code SegmentDescriptor} and {@code PageDescriptor}: the off-heap metadata layouts;
 *       {@code NativeMemory}: every native access, its ordering in its name;</li>
 *   <li>{@code SegmentSource}: arenas and the segments carved from them;
 *       {@code LargeBlocks}: allocations above the largest class and their cache;</li>
 *   <li>{@code SizeClassTable}: the class lookup built from the size-class strategy;</li>
 *   <li>{@code Purger}, {@code PurgeCounters}, {@code PurgeFailures}, {@code StatsCollector}:
 *       giving memory back, and counting.</li>
 * </ul>
 *
 * <p>{@code docs/architecture.md} in the repository describes the layout, the fast paths, the
 * protocol between threads and purging.
 */
package io.tinyalloc.core;
