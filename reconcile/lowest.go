package reconcile

import "slices"

// lowest keeps the limit smallest items added (by cmp) and counts all of them. It bounds
// each list in a Result while a report of any size streams through, and the kept items
// do not depend on the order rows arrive in.
type lowest[T any] struct {
	limit int
	cmp   func(a, b T) int
	items []T
	count int
}

func newLowest[T any](limit int, cmp func(a, b T) int) *lowest[T] {
	return &lowest[T]{limit: limit, cmp: cmp}
}

func (l *lowest[T]) add(v T) {
	l.count++
	l.items = append(l.items, v)
	// Trimming only at twice the cap costs O(log limit) per item, amortised, and holds
	// at most 2*limit items.
	if len(l.items) >= 2*l.limit {
		l.trim()
	}
}

func (l *lowest[T]) trim() {
	slices.SortFunc(l.items, l.cmp)
	clear(l.items[min(l.limit, len(l.items)):]) // let dropped items' strings go
	l.items = l.items[:min(l.limit, len(l.items))]
}

// sorted returns the kept items in order; nil when none were added.
func (l *lowest[T]) sorted() []T {
	l.trim()
	if len(l.items) == 0 {
		return nil
	}
	return slices.Clip(l.items)
}

func (l *lowest[T]) truncated() bool { return len(l.items) < l.count }
