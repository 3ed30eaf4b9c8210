/* thread_sync.h: what every worker thread (backend feed, printer, kiosk service) shares with
 * the main loop: a lock, a condition on the monotonic clock (a wall-clock jump neither wakes
 * nor stalls a sleeping worker), and an eventfd the main loop's poll() wakes on. */
#ifndef KIOSK_THREAD_SYNC_H
#define KIOSK_THREAD_SYNC_H

#include <pthread.h>
#include <stdbool.h>
#include <time.h>

/* Sets up all three; false (errno set, nothing left to release) when the eventfd fails. */
bool sync_init(pthread_mutex_t *lock, pthread_cond_t *cond, int *event_fd);
void sync_destroy(pthread_mutex_t *lock, pthread_cond_t *cond, int event_fd);

/* Sets *stopping under lock, wakes the worker waiting on cond and joins it. */
void sync_stop_thread(pthread_mutex_t *lock, pthread_cond_t *cond, bool *stopping,
                      pthread_t thread);

/* Wakes the main loop; and, on its side, clears the wake-up before reading the news. */
void sync_notify(int event_fd);
void sync_drain(int event_fd);

/* ms from now on the monotonic clock, for pthread_cond_timedwait. */
struct timespec sync_deadline(int ms);

#endif
