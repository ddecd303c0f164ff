package sdm

import (
	"context"
	"sync"
)

// keyedMutex serialises work per key. EnsureIncident uses it so that two
// attempts for the same reference in one process (a Temporal activity retried
// after a timeout while the first attempt still runs) cannot both miss in the
// find and both create. The zero value is ready to use.
type keyedMutex struct {
	mu    sync.Mutex
	locks map[string]*keyedLock
}

type keyedLock struct {
	slot    chan struct{}
	waiters int // holders and waiters; the entry is dropped when it reaches 0
}

// lock waits for key, or for ctx to end, and returns the function that releases it.
func (k *keyedMutex) lock(ctx context.Context, key string) (unlock func(), err error) {
	k.mu.Lock()
	if k.locks == nil {
		k.locks = make(map[string]*keyedLock)
	}
	l := k.locks[key]
	if l == nil {
		l = &keyedLock{slot: make(chan struct{}, 1)}
		k.locks[key] = l
	}
	l.waiters++
	k.mu.Unlock()

	select {
	case l.slot <- struct{}{}:
		return func() { <-l.slot; k.release(key, l) }, nil
	case <-ctx.Done():
		k.release(key, l)
		return nil, ctx.Err()
	}
}

func (k *keyedMutex) release(key string, l *keyedLock) {
	k.mu.Lock()
	defer k.mu.Unlock()
	l.waiters--
	if l.waiters == 0 {
		delete(k.locks, key)
	}
}
