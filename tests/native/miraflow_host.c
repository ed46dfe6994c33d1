/*
 * miraflow_host.c - plays the operating system (and a minimal kernel-mode display driver) for one
 * Miracast session of a driver library built with NativeAOT, on Linux.
 *
 *   miraflow_host <driver.so> <seconds> [bitrate]   one whole session (the sink dials LISTEN <port>)
 *   miraflow_host --smoke <driver.so>                load, query, create and destroy only
 *
 * The contract is /work/shared/docs/windows-driver-contract.md (cited as section n); the KMD <-> UMD
 * messages and the Linux conventions (eventfd wait handles, a frame-store file under /dev/shm,
 * CLOCK_MONOTONIC capture times, SOCKET = fd) are docs/kernel-protocol.md.
 *
 * Output, one fact per line on stdout: QUERY, LISTEN <port>, CREATE, START, MONITOR_ARRIVAL,
 * SESSION_STATUS, STOP, DESTROY, then SUMMARY <name>=<value> lines and RESULT ok|failed. Errors
 * go to stderr as "ERROR: ..." lines. Exit status 0 only when the session met every check.
 *
 * Build: gcc -std=c11 -O2 -Wall -Wextra -Werror -pthread -o miraflow_host miraflow_host.c -ldl
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "netdispumdddi.h"

/* --- Reference kernel protocol, version 1 (docs/kernel-protocol.md) ------------------------- */

#define KP_MAGIC 0x504B464Du /* 'M' 'F' 'K' 'P' */
#define KP_VERSION 1
#define KP_HEADER_SIZE 12
#define KP_CHUNK_DESCRIPTOR 1
#define KP_MONITOR_ARRIVAL 16
#define KP_MONITOR_DEPARTURE 17
#define KP_QUERY_FRAME_STORE 18
#define KP_RELEASE_SLOTS 19
#define KP_FRAME_STORE_INFO 20
#define KP_REQUEST_IDR 21
#define KP_CHUNK_DESCRIPTOR_SIZE 72
#define KP_FRAME_STORE_INFO_SIZE 88
#define KP_MONITOR_ARRIVAL_SIZE 32
#define KP_SECTION_NAME_CHARS 32

/* The frame store: slots big enough for NV12 1920x1088. */
#define MAX_WIDTH 1920
#define MAX_HEIGHT 1088
#define SLOT_COUNT 8
#define SLOT_SIZE (MAX_WIDTH * MAX_HEIGHT * 3 / 2)

/* The chunk queue the OS keeps between the KMD's interrupt and GetNextChunkData (section 3.2). */
#define QUEUE_CAPACITY 16
#define CHUNK_ENTRY_HEADER 28 /* MIRACAST_CHUNK_INFO (24) + PrivateDriverDataSize (4), section 1.3 */

/* The contract bounds StopMiracastSession and DestroyMiracastContext at 3 s (sections 2.5, 2.6). */
#define LIFECYCLE_BUDGET_MS 3000.0

#define FAKE_DEVICE_HANDLE ((HANDLE)(uintptr_t)0x0D15EA5E)

enum slot_state { SLOT_FREE, SLOT_KMD, SLOT_QUEUED, SLOT_UMD };
enum lifecycle { LC_NONE, LC_CREATE, LC_START, LC_STOP, LC_DESTROY };

typedef struct {
    MIRACAST_CHUNK_INFO info;
    uint32_t private_size;
    uint8_t private_data[KP_CHUNK_DESCRIPTOR_SIZE];
    int slot; /* -1: none */
} queued_chunk;

static struct {
    /* Frame store. */
    char store_path[KP_SECTION_NAME_CHARS];
    uint8_t *store;
    int slot_state[SLOT_COUNT];

    /* Chunk queue: guarded by queue_lock; queue_efd is readable exactly while there is something
       for GetNextChunkData to return (a chunk, a pending reset, or the session gone). */
    pthread_mutex_t queue_lock;
    queued_chunk queue[QUEUE_CAPACITY];
    int queue_head, queue_count;
    bool reset_pending, session_gone, queue_signalled;
    int queue_efd;

    /* GPU thread. */
    pthread_t gpu_thread;
    bool gpu_running;
    atomic_bool gpu_stop;
    uint32_t width, height, fps;

    /* Lifecycle calls (section 2.13). */
    pthread_mutex_t start_hold; /* held by the OS thread while it is inside StartMiracastSession */
    atomic_int lifecycle;
    pthread_t lifecycle_thread;
    atomic_bool start_returned;

    /* Data-rate notifications (section 2.11). */
    pthread_mutex_t datarate_lock;
    PFN_DATARATE_NOTIFICATION datarate_routine;
    PVOID datarate_context;
    pthread_t datarate_thread;
    bool datarate_running;
    int datarate_stop_efd;
    uint64_t bitrate, local_max, remote_max;

    /* Session status reports. */
    atomic_bool status_error;

    /* Counters (stats_lock). */
    pthread_mutex_t stats_lock;
    uint64_t frames_produced, frames_dropped, chunks_queued, chunks_delivered, resets, overflows;
    uint64_t stat_by_type[3], stat_other_type, stat_chunk_type[5], stat_chunk_driver_defined, stat_event[4];
    uint64_t chunk_sent_regressions, last_sent_frame;
    bool any_sent;
    uint64_t datarate_calls, datarate_refused, datarate_registrations, datarate_unregistrations;
    uint64_t io_arrivals, io_arrivals_before_start, io_departures, io_query_store, io_release_calls, io_slots_released;
    uint64_t io_bad_releases, io_idr_requests, io_invalid, io_refused_during_stop, buffer_too_small, waits_signalled;
    uint64_t session_status_reports;
} g;

#define COUNT(field) do { pthread_mutex_lock(&g.stats_lock); g.field++; pthread_mutex_unlock(&g.stats_lock); } while (0)

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static double ms_since(uint64_t start) { return (double)(now_ns() - start) / 1e6; }

static uint16_t rd16(const uint8_t *p) { uint16_t v; memcpy(&v, p, 2); return v; }
static uint32_t rd32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }
static void wr16(uint8_t *p, uint16_t v) { memcpy(p, &v, 2); }
static void wr32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static void wr64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); }

static void write_header(uint8_t *p, uint16_t type, uint32_t size)
{
    wr32(p, KP_MAGIC);
    wr16(p + 4, KP_VERSION);
    wr16(p + 6, type);
    wr32(p + 8, size);
}

/* --- The chunk queue ---------------------------------------------------------------------- */

/* Makes queue_efd's readability match the queue's state. Call with queue_lock held. */
static void queue_update_signal_locked(void)
{
    bool ready = g.queue_count > 0 || g.reset_pending || g.session_gone;
    if (ready && !g.queue_signalled) {
        uint64_t one = 1;
        if (write(g.queue_efd, &one, sizeof one) == sizeof one)
            g.queue_signalled = true;
    } else if (!ready && g.queue_signalled) {
        uint64_t value;
        if (read(g.queue_efd, &value, sizeof value) == sizeof value)
            g.queue_signalled = false;
    }
}

/* The KMD's interrupt: queue a chunk, or on overflow lose every queued chunk (section 3.2). */
static void queue_push(const queued_chunk *chunk)
{
    pthread_mutex_lock(&g.queue_lock);
    if (g.session_gone) {
        if (chunk->slot >= 0)
            g.slot_state[chunk->slot] = SLOT_FREE;
    } else if (g.queue_count == QUEUE_CAPACITY) {
        /* STATUS_NO_MEMORY at the ISR: every outstanding chunk is lost, their slots go back to the
           KMD, and the UMD's next GetNextChunkData returns STATUS_CONNECTION_RESET. */
        for (int i = 0; i < g.queue_count; i++) {
            int slot = g.queue[(g.queue_head + i) % QUEUE_CAPACITY].slot;
            if (slot >= 0)
                g.slot_state[slot] = SLOT_FREE;
        }
        if (chunk->slot >= 0)
            g.slot_state[chunk->slot] = SLOT_FREE;
        g.queue_head = 0;
        g.queue_count = 0;
        g.reset_pending = true;
        COUNT(overflows);
    } else {
        if (chunk->slot >= 0)
            g.slot_state[chunk->slot] = SLOT_QUEUED;
        g.queue[(g.queue_head + g.queue_count) % QUEUE_CAPACITY] = *chunk;
        g.queue_count++;
        COUNT(chunks_queued);
    }
    queue_update_signal_locked();
    pthread_mutex_unlock(&g.queue_lock);
}

static void session_gone(void)
{
    pthread_mutex_lock(&g.queue_lock);
    g.session_gone = true;
    queue_update_signal_locked();
    pthread_mutex_unlock(&g.queue_lock);
}

/* --- The GPU: NV12 pictures at the arrival's mode, one part per frame ------------------------ */

static int take_free_slot(void)
{
    int found = -1;
    pthread_mutex_lock(&g.queue_lock);
    for (int i = 0; i < SLOT_COUNT && found < 0; i++) {
        if (g.slot_state[i] == SLOT_FREE) {
            g.slot_state[i] = SLOT_KMD;
            found = i;
        }
    }
    pthread_mutex_unlock(&g.queue_lock);
    return found;
}

/* A horizontal luma gradient with a box moving across it (and a coloured box in chroma). */
static void render_nv12(uint8_t *slot, uint32_t w, uint32_t h, uint64_t frame)
{
    uint8_t *y = slot;
    uint8_t *uv = slot + (size_t)w * h;
    uint32_t box = h / 6 > 16 ? h / 6 : 16;
    uint32_t bx = (uint32_t)((frame * 8) % (w - box));
    uint32_t by = (uint32_t)((frame * 4) % (h - box));
    for (uint32_t row = 0; row < h; row++) {
        uint8_t *line = y + (size_t)row * w;
        for (uint32_t x = 0; x < w; x++)
            line[x] = (uint8_t)(16 + (x * 219u) / w);
        if (row >= by && row < by + box)
            memset(line + bx, 235, box);
    }
    for (uint32_t row = 0; row < h / 2; row++) {
        uint8_t *line = uv + (size_t)row * w;
        memset(line, 128, w);
        if (row * 2 >= by && row * 2 < by + box) {
            for (uint32_t x = bx & ~1u; x < bx + box && x + 1 < w; x += 2) {
                line[x] = 90;      /* U */
                line[x + 1] = 240; /* V */
            }
        }
    }
}

static void *gpu_main(void *arg)
{
    (void)arg;
    uint32_t w = g.width, h = g.height, fps = g.fps;
    uint64_t period = 1000000000u / fps;
    struct timespec next;
    clock_gettime(CLOCK_MONOTONIC, &next);
    for (uint64_t frame = 1; !atomic_load(&g.gpu_stop); frame++) {
        queued_chunk chunk;
        memset(&chunk, 0, sizeof chunk);
        chunk.info.ChunkId.FrameNumber = frame;
        chunk.info.ChunkId.PartNumber = 0;
        chunk.slot = take_free_slot();
        if (chunk.slot < 0) {
            /* No free slot: the KMD drops the frame and says so (kernel-protocol "The frame store"). */
            chunk.info.ChunkType = MIRACAST_CHUNK_TYPE_FRAME_DROPPED;
            chunk.private_size = 0;
            COUNT(frames_dropped);
        } else {
            uint64_t capture = now_ns();
            render_nv12(g.store + (size_t)chunk.slot * SLOT_SIZE, w, h, frame);
            chunk.info.ChunkType = MIRACAST_CHUNK_TYPE_COLOR_CONVERT_COMPLETE;
            chunk.info.ProcessingTime = (UINT)((now_ns() - capture) / 1000u);
            chunk.info.EncodeRate = 0;
            uint8_t *d = chunk.private_data;
            write_header(d, KP_CHUNK_DESCRIPTOR, KP_CHUNK_DESCRIPTOR_SIZE);
            wr16(d + 12, 1);        /* Payload: raw picture */
            wr16(d + 14, 1);        /* PixelFormat: NV12 */
            wr32(d + 16, w);
            wr32(d + 20, h);
            wr32(d + 24, w);        /* LumaStride */
            wr32(d + 28, w);        /* ChromaStride (the UV row) */
            wr32(d + 32, 0);        /* FirstRow */
            wr32(d + 36, h);        /* RowCount */
            wr32(d + 40, 1);        /* PartCount */
            wr32(d + 44, 0);        /* Flags */
            wr64(d + 48, capture);  /* CaptureTime: CLOCK_MONOTONIC ns */
            wr32(d + 56, (uint32_t)chunk.slot);
            wr32(d + 60, 0);        /* Offset */
            wr32(d + 64, w * h * 3 / 2);
            wr32(d + 68, 0);
            chunk.private_size = KP_CHUNK_DESCRIPTOR_SIZE;
            COUNT(frames_produced);
        }
        queue_push(&chunk);

        next.tv_nsec += (long)period;
        while (next.tv_nsec >= 1000000000L) {
            next.tv_nsec -= 1000000000L;
            next.tv_sec++;
        }
        while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL) == EINTR) {
        }
    }
    return NULL;
}

static void gpu_stop(void)
{
    if (g.gpu_running) {
        atomic_store(&g.gpu_stop, true);
        pthread_join(g.gpu_thread, NULL);
        g.gpu_running = false;
    }
}

static NTSTATUS gpu_start(uint32_t w, uint32_t h, uint32_t fps)
{
    if (w < 32 || h < 32 || w > MAX_WIDTH || h > MAX_HEIGHT || (w | h) & 1 || fps == 0 || fps > 120)
        return STATUS_INVALID_PARAMETER;
    gpu_stop();
    g.width = w;
    g.height = h;
    g.fps = fps;
    atomic_store(&g.gpu_stop, false);
    if (pthread_create(&g.gpu_thread, NULL, gpu_main, NULL) != 0)
        return STATUS_NO_MEMORY;
    g.gpu_running = true;
    return STATUS_SUCCESS;
}

/* --- OS callbacks (section 1.5) --------------------------------------------------------------- */

static VOID NTAPI os_report_session_status(HANDLE device, MIRACAST_STATUS status, NTSTATUS detail)
{
    (void)device;
    COUNT(session_status_reports);
    printf("SESSION_STATUS status=%u ntstatus=0x%08x\n", (unsigned)status, (unsigned)detail);
    fflush(stdout);
    atomic_store(&g.status_error, true); /* every value of MIRACAST_STATUS is an error (section 2.9) */
}

static bool on_lifecycle_thread(void)
{
    int lc = atomic_load(&g.lifecycle);
    return lc != LC_NONE && pthread_equal(pthread_self(), g.lifecycle_thread);
}

static NTSTATUS kmd_release_slots(const uint8_t *in, uint32_t size)
{
    if (size < 16)
        return STATUS_INVALID_PARAMETER;
    uint32_t count = rd32(in + 12);
    if (count > (size - 16) / 4)
        return STATUS_INVALID_PARAMETER;
    NTSTATUS result = STATUS_SUCCESS;
    pthread_mutex_lock(&g.queue_lock);
    for (uint32_t i = 0; i < count; i++) {
        uint32_t slot = rd32(in + 16 + 4 * i);
        if (slot < SLOT_COUNT && g.slot_state[slot] == SLOT_UMD) {
            g.slot_state[slot] = SLOT_FREE;
            g.io_slots_released++; /* counted under queue_lock; read only at the end */
        } else {
            g.io_bad_releases++;
            result = STATUS_INVALID_PARAMETER;
        }
    }
    pthread_mutex_unlock(&g.queue_lock);
    return result;
}

static NTSTATUS NTAPI os_miracast_io_control(HANDLE device, BOOL hardware_access, UINT in_size, VOID *in_buffer,
                                             UINT out_size, VOID *out_buffer, UINT *bytes_returned)
{
    (void)device;
    (void)hardware_access;
    if (bytes_returned != NULL)
        *bytes_returned = 0;

    /* Section 2.13: held while another thread is inside Start, refused while it is inside Stop. */
    if (!on_lifecycle_thread()) {
        int lc = atomic_load(&g.lifecycle);
        if (lc == LC_START) {
            pthread_mutex_lock(&g.start_hold);
            pthread_mutex_unlock(&g.start_hold);
        } else if (lc == LC_STOP || lc == LC_DESTROY) {
            COUNT(io_refused_during_stop);
            return STATUS_INVALID_PARAMETER;
        }
    }

    const uint8_t *in = in_buffer;
    if (in == NULL || in_size < KP_HEADER_SIZE || rd32(in) != KP_MAGIC || rd16(in + 4) != KP_VERSION) {
        COUNT(io_invalid);
        return STATUS_INVALID_PARAMETER;
    }
    uint16_t type = rd16(in + 6);
    uint32_t size = rd32(in + 8);
    if (size < KP_HEADER_SIZE || size > in_size) {
        COUNT(io_invalid);
        return STATUS_INVALID_PARAMETER;
    }

    switch (type) {
    case KP_QUERY_FRAME_STORE: {
        if (out_buffer == NULL || out_size < KP_FRAME_STORE_INFO_SIZE)
            return STATUS_BUFFER_TOO_SMALL;
        uint8_t *out = out_buffer;
        memset(out, 0, KP_FRAME_STORE_INFO_SIZE);
        write_header(out, KP_FRAME_STORE_INFO, KP_FRAME_STORE_INFO_SIZE);
        wr32(out + 12, SLOT_COUNT);
        wr32(out + 16, SLOT_SIZE);
        wr32(out + 20, 0);
        for (int i = 0; i < KP_SECTION_NAME_CHARS && g.store_path[i] != 0; i++)
            wr16(out + 24 + 2 * i, (uint16_t)(unsigned char)g.store_path[i]); /* ASCII path as UTF-16LE */
        if (bytes_returned != NULL)
            *bytes_returned = KP_FRAME_STORE_INFO_SIZE;
        COUNT(io_query_store);
        return STATUS_SUCCESS;
    }
    case KP_MONITOR_ARRIVAL: {
        if (size < KP_MONITOR_ARRIVAL_SIZE) {
            COUNT(io_invalid);
            return STATUS_INVALID_PARAMETER;
        }
        bool after = atomic_load(&g.start_returned);
        COUNT(io_arrivals);
        if (!after)
            COUNT(io_arrivals_before_start);
        uint32_t w = rd32(in + 16), h = rd32(in + 20), fps = rd32(in + 24);
        printf("MONITOR_ARRIVAL connector=%u mode=%ux%u@%u edid=%u after_start=%s\n", rd32(in + 12), w, h, fps,
               rd32(in + 28), after ? "yes" : "no");
        fflush(stdout);
        return gpu_start(w, h, fps);
    }
    case KP_MONITOR_DEPARTURE:
        COUNT(io_departures);
        printf("MONITOR_DEPARTURE\n");
        fflush(stdout);
        gpu_stop();
        return STATUS_SUCCESS;
    case KP_RELEASE_SLOTS:
        COUNT(io_release_calls);
        return kmd_release_slots(in, size);
    case KP_REQUEST_IDR:
        COUNT(io_idr_requests); /* raw pictures: the UMD's encoder makes the IDR; nothing to do */
        return STATUS_SUCCESS;
    default:
        COUNT(io_invalid);
        return STATUS_INVALID_PARAMETER;
    }
}

static VOID NTAPI os_report_statistic(HANDLE device, MIRACAST_STATISTIC_DATA *data)
{
    (void)device;
    if (data == NULL)
        return;
    pthread_mutex_lock(&g.stats_lock);
    uint32_t type = (uint32_t)data->StatisticType;
    if (type < 3)
        g.stat_by_type[type]++;
    else
        g.stat_other_type++;
    if (data->StatisticType == MIRACAST_STATISTIC_TYPE_CHUNK_PROCESSING_COMPLETE) {
        uint32_t chunk = (uint32_t)data->EncodeComplete.ChunkInfo.ChunkType;
        if (chunk < 5)
            g.stat_chunk_type[chunk]++;
        else
            g.stat_chunk_driver_defined++;
    } else if (data->StatisticType == MIRACAST_STATISTIC_TYPE_CHUNK_SENT) {
        /* Frame numbers of sent chunks only increase, or repeat (parts, re-encodes; section 2.10). */
        uint64_t frame = data->ChunkSent.ChunkId.FrameNumber;
        if (g.any_sent && frame < g.last_sent_frame)
            g.chunk_sent_regressions++;
        g.last_sent_frame = frame;
        g.any_sent = true;
    } else if (data->StatisticType == MIRACAST_STATISTIC_TYPE_EVENT) {
        uint32_t event = (uint32_t)data->ProtocolEvent.Event;
        if (event < 4)
            g.stat_event[event]++;
    }
    pthread_mutex_unlock(&g.stats_lock);
}

static NTSTATUS NTAPI os_get_next_chunk_data(HANDLE device, UINT timeout_ms, UINT event_count, HANDLE *events,
                                             UINT *buffer_size, MIRACAST_CHUNK_DATA *buffer, UINT *outstanding)
{
    (void)device;
    if (buffer_size == NULL || event_count > MAX_ADDITIONAL_EVENTS || (event_count > 0 && events == NULL) ||
        (buffer == NULL && *buffer_size > 0))
        return STATUS_INVALID_PARAMETER;

    struct pollfd fds[1 + MAX_ADDITIONAL_EVENTS];
    fds[0].fd = g.queue_efd;
    fds[0].events = POLLIN;
    for (UINT i = 0; i < event_count; i++) {
        fds[1 + i].fd = (int)(intptr_t)events[i]; /* a HANDLE is an eventfd (kernel-protocol "Linux hosts") */
        fds[1 + i].events = POLLIN;
    }
    uint64_t deadline = timeout_ms == INFINITE ? 0 : now_ns() + (uint64_t)timeout_ms * 1000000u;

    for (;;) {
        pthread_mutex_lock(&g.queue_lock);
        if (g.session_gone) {
            pthread_mutex_unlock(&g.queue_lock);
            return STATUS_INSTANCE_NOT_AVAILABLE;
        }
        if (g.reset_pending) {
            g.reset_pending = false;
            queue_update_signal_locked();
            pthread_mutex_unlock(&g.queue_lock);
            *buffer_size = 0;
            COUNT(resets);
            return STATUS_CONNECTION_RESET;
        }
        if (g.queue_count > 0) {
            /* Pack whole entries, 28 + private size each, back to back (section 1.3). */
            uint8_t *out = (uint8_t *)buffer;
            UINT capacity = *buffer_size, written = 0;
            int taken = 0;
            while (taken < g.queue_count) {
                queued_chunk *c = &g.queue[(g.queue_head + taken) % QUEUE_CAPACITY];
                UINT entry = CHUNK_ENTRY_HEADER + c->private_size;
                if (entry > capacity - written)
                    break;
                memcpy(out + written, &c->info, sizeof c->info);
                memcpy(out + written + sizeof c->info, &c->private_size, 4);
                memcpy(out + written + CHUNK_ENTRY_HEADER, c->private_data, c->private_size);
                if (c->slot >= 0)
                    g.slot_state[c->slot] = SLOT_UMD; /* the UMD owns it until ReleaseSlots */
                written += entry;
                taken++;
            }
            if (taken == 0) {
                /* Nothing written, *pChunkDataBufferSize left as it was (meaningful only on success). */
                pthread_mutex_unlock(&g.queue_lock);
                COUNT(buffer_too_small);
                return STATUS_BUFFER_TOO_SMALL;
            }
            g.queue_head = (g.queue_head + taken) % QUEUE_CAPACITY;
            g.queue_count -= taken;
            if (outstanding != NULL)
                *outstanding = (UINT)g.queue_count;
            queue_update_signal_locked();
            pthread_mutex_unlock(&g.queue_lock);
            *buffer_size = written;
            pthread_mutex_lock(&g.stats_lock);
            g.chunks_delivered += (uint64_t)taken;
            pthread_mutex_unlock(&g.stats_lock);
            return STATUS_SUCCESS;
        }
        pthread_mutex_unlock(&g.queue_lock);

        /* Nothing queued: an extra event already signalled wins, then wait for either. */
        int wait_ms;
        if (timeout_ms == INFINITE) {
            wait_ms = -1;
        } else {
            uint64_t now = now_ns();
            wait_ms = now >= deadline ? 0 : (int)((deadline - now + 999999u) / 1000000u);
        }
        int ready = poll(fds, 1 + event_count, wait_ms);
        if (ready < 0 && errno == EINTR)
            continue;
        if (ready < 0)
            return STATUS_INVALID_PARAMETER;
        for (UINT i = 0; i < event_count; i++) {
            if (fds[1 + i].revents & POLLNVAL)
                return STATUS_INVALID_PARAMETER; /* not an open descriptor */
            if (fds[1 + i].revents & POLLIN) {
                *buffer_size = 0;
                COUNT(waits_signalled);
                return (NTSTATUS)(STATUS_WAIT_0 + (NTSTATUS)i);
            }
        }
        if (ready == 0 && wait_ms >= 0 && now_ns() >= deadline)
            return STATUS_TIMEOUT;
    }
}

static void *datarate_main(void *arg)
{
    (void)arg;
    struct pollfd stop = { .fd = g.datarate_stop_efd, .events = POLLIN };
    uint64_t tick = 0;
    while (poll(&stop, 1, 1000) == 0) {
        pthread_mutex_lock(&g.datarate_lock); /* held during the call: none follows an unregistration */
        if (g.datarate_routine != NULL) {
            MIRACAST_DATARATE_STATS stats;
            memset(&stats, 0, sizeof stats);
            stats.EncoderBitRate = g.bitrate;
            stats.CurrentMaxTxDataRate = g.local_max;
            stats.TransmittedFrameCount = 2000 + (tick % 7) * 10;
            stats.RetriedFrameCount = tick % 3;
            g.datarate_routine(g.datarate_context, &stats);
            tick++;
            COUNT(datarate_calls);
        }
        pthread_mutex_unlock(&g.datarate_lock);
    }
    return NULL;
}

static NTSTATUS NTAPI os_register_for_datarate(HANDLE device, PVOID context, PFN_DATARATE_NOTIFICATION routine)
{
    (void)device;
    int lc = atomic_load(&g.lifecycle);
    if (!(lc == LC_START || lc == LC_STOP) || !pthread_equal(pthread_self(), g.lifecycle_thread)) {
        COUNT(datarate_refused);
        return STATUS_NOT_SUPPORTED; /* section 2.11: only on the thread inside Start or Stop */
    }
    NTSTATUS result = STATUS_SUCCESS;
    pthread_mutex_lock(&g.datarate_lock);
    if (routine != NULL && g.datarate_routine == NULL) {
        g.datarate_routine = routine;
        g.datarate_context = context;
        g.datarate_registrations++;
    } else if (routine == NULL && g.datarate_routine != NULL) {
        g.datarate_routine = NULL;
        g.datarate_context = NULL;
        g.datarate_unregistrations++;
    } else {
        result = STATUS_INVALID_PARAMETER; /* double registration or unregistration (code unspecified) */
        g.datarate_refused++;
    }
    pthread_mutex_unlock(&g.datarate_lock);
    if (result == STATUS_SUCCESS && routine != NULL && !g.datarate_running) {
        if (pthread_create(&g.datarate_thread, NULL, datarate_main, NULL) == 0)
            g.datarate_running = true;
    }
    return result;
}

static void datarate_stop(void)
{
    if (g.datarate_running) {
        uint64_t one = 1;
        if (write(g.datarate_stop_efd, &one, sizeof one) != sizeof one)
            perror("datarate stop");
        pthread_join(g.datarate_thread, NULL);
        g.datarate_running = false;
    }
}

/* --- Set-up helpers ---------------------------------------------------------------------------- */

static int fail(const char *what)
{
    fprintf(stderr, "ERROR: %s\n", what);
    printf("RESULT failed\n");
    fflush(stdout);
    return 1;
}

static bool create_frame_store(void)
{
    snprintf(g.store_path, sizeof g.store_path, "/dev/shm/miraflow-host-%d", (int)getpid());
    int fd = open(g.store_path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        perror(g.store_path);
        return false;
    }
    bool ok = ftruncate(fd, (off_t)SLOT_COUNT * SLOT_SIZE) == 0;
    if (ok) {
        g.store = mmap(NULL, (size_t)SLOT_COUNT * SLOT_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        ok = g.store != MAP_FAILED;
    }
    close(fd);
    if (!ok) {
        perror("frame store");
        unlink(g.store_path);
    }
    return ok;
}

static int listen_and_accept(void)
{
    int listener = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    socklen_t len = sizeof addr;
    if (listener < 0 || bind(listener, (struct sockaddr *)&addr, sizeof addr) != 0 || listen(listener, 1) != 0 ||
        getsockname(listener, (struct sockaddr *)&addr, &len) != 0) {
        perror("listen");
        return -1;
    }
    printf("LISTEN %u\n", (unsigned)ntohs(addr.sin_port));
    fflush(stdout);
    struct pollfd p = { .fd = listener, .events = POLLIN };
    if (poll(&p, 1, 30000) != 1) {
        fprintf(stderr, "ERROR: no sink connected within 30 s\n");
        close(listener);
        return -1;
    }
    int fd = accept4(listener, NULL, NULL, SOCK_CLOEXEC);
    close(listener);
    if (fd >= 0) {
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    }
    return fd;
}

static void enter(int lc)
{
    g.lifecycle_thread = pthread_self();
    atomic_store(&g.lifecycle, lc);
}

static void leave(void) { atomic_store(&g.lifecycle, LC_NONE); }

static QUERY_MIRACAST_DRIVER_INTERFACE query;

static bool load_driver(const char *path, MIRACAST_DRIVER_INTERFACE *table)
{
    /* Never dlclose: a NativeAOT runtime cannot be unloaded (its GC and thread-pool threads stay
       and would run unmapped code); the process keeps the library until it exits. */
    void *library = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (library == NULL) {
        fprintf(stderr, "ERROR: dlopen %s: %s\n", path, dlerror());
        return false;
    }
    query = (QUERY_MIRACAST_DRIVER_INTERFACE)dlsym(library, "QueryMiracastDriverInterface");
    if (query == NULL) {
        fprintf(stderr, "ERROR: QueryMiracastDriverInterface not exported by %s\n", path);
        return false;
    }
    memset(table, 0, sizeof *table);
    NTSTATUS status = query(MIRACAST_DRIVER_INTERFACE_VERSION_1, sizeof *table, table);
    printf("QUERY status=0x%08x size=%u\n", (unsigned)status, table->Size);
    fflush(stdout);
    if (status != STATUS_SUCCESS || table->Size != sizeof *table || table->CreateMiracastContext == NULL ||
        table->DestroyMiracastContext == NULL || table->StartMiracastSession == NULL || table->StopMiracastSession == NULL ||
        table->HandleKernelModeMessage == NULL) {
        fprintf(stderr, "ERROR: QueryMiracastDriverInterface returned 0x%08x, Size %u (expected 0 and %zu, every entry set)\n",
                (unsigned)status, table->Size, sizeof *table);
        return false;
    }
    return true;
}

static NTSTATUS create_context(const MIRACAST_DRIVER_INTERFACE *table, PVOID *context)
{
    MIRACAST_CALLBACKS callbacks = {
        .ReportSessionStatus = os_report_session_status,
        .MiracastIoControl = os_miracast_io_control,
        .ReportStatistic = os_report_statistic,
        .GetNextChunkData = os_get_next_chunk_data,
        .RegisterForDataRateNotifications = os_register_for_datarate,
    };
    *context = NULL;
    enter(LC_CREATE);
    uint64_t t0 = now_ns();
    NTSTATUS status = table->CreateMiracastContext(FAKE_DEVICE_HANDLE, &callbacks, context);
    leave();
    printf("CREATE status=0x%08x ms=%.1f\n", (unsigned)status, ms_since(t0));
    fflush(stdout);
    return status;
}

static double destroy_context(const MIRACAST_DRIVER_INTERFACE *table, PVOID context)
{
    enter(LC_DESTROY);
    uint64_t t0 = now_ns();
    table->DestroyMiracastContext(context);
    double ms = ms_since(t0);
    leave();
    printf("DESTROY ms=%.1f\n", ms);
    fflush(stdout);
    return ms;
}

static int smoke(const char *path)
{
    MIRACAST_DRIVER_INTERFACE table;
    if (!load_driver(path, &table))
        return fail("the driver could not be loaded");
    /* A version the driver does not know must be refused without touching the table. */
    MIRACAST_DRIVER_INTERFACE other;
    memset(&other, 0, sizeof other);
    NTSTATUS refused = query(2, sizeof other, &other);
    printf("QUERY_V2 status=0x%08x\n", (unsigned)refused);
    PVOID context;
    NTSTATUS created = create_context(&table, &context);
    if (created != STATUS_SUCCESS || context == NULL)
        return fail("CreateMiracastContext failed");
    double destroy_ms = destroy_context(&table, context);
    bool ok = refused != STATUS_SUCCESS && other.Size == 0 && destroy_ms < LIFECYCLE_BUDGET_MS;
    printf("RESULT %s\n", ok ? "ok" : "failed");
    fflush(stdout);
    if (!ok)
        fprintf(stderr, "ERROR: smoke checks failed (version 2 status 0x%08x, destroy %.1f ms)\n", (unsigned)refused, destroy_ms);
    return ok ? 0 : 1;
}

static void summary(bool start_ok, double stop_ms, double destroy_ms, bool datarate_left)
{
    pthread_mutex_lock(&g.stats_lock);
    printf("SUMMARY frames_produced=%" PRIu64 "\n", g.frames_produced);
    printf("SUMMARY frames_dropped=%" PRIu64 "\n", g.frames_dropped);
    printf("SUMMARY chunks_queued=%" PRIu64 "\n", g.chunks_queued);
    printf("SUMMARY chunks_delivered=%" PRIu64 "\n", g.chunks_delivered);
    printf("SUMMARY queue_overflows=%" PRIu64 "\n", g.overflows);
    printf("SUMMARY resets=%" PRIu64 "\n", g.resets);
    printf("SUMMARY buffer_too_small=%" PRIu64 "\n", g.buffer_too_small);
    printf("SUMMARY wait_events=%" PRIu64 "\n", g.waits_signalled);
    printf("SUMMARY stat_chunk_processing_complete=%" PRIu64 "\n", g.stat_by_type[0]);
    printf("SUMMARY stat_chunk_sent=%" PRIu64 "\n", g.stat_by_type[1]);
    printf("SUMMARY stat_event=%" PRIu64 "\n", g.stat_by_type[2]);
    printf("SUMMARY stat_unknown_type=%" PRIu64 "\n", g.stat_other_type);
    printf("SUMMARY stat_color_convert_complete=%" PRIu64 "\n", g.stat_chunk_type[MIRACAST_CHUNK_TYPE_COLOR_CONVERT_COMPLETE]);
    printf("SUMMARY stat_encode_complete=%" PRIu64 "\n", g.stat_chunk_type[MIRACAST_CHUNK_TYPE_ENCODE_COMPLETE]);
    printf("SUMMARY stat_frame_start=%" PRIu64 "\n", g.stat_chunk_type[MIRACAST_CHUNK_TYPE_FRAME_START]);
    printf("SUMMARY stat_frame_dropped=%" PRIu64 "\n", g.stat_chunk_type[MIRACAST_CHUNK_TYPE_FRAME_DROPPED]);
    printf("SUMMARY stat_driver_defined=%" PRIu64 "\n", g.stat_chunk_driver_defined);
    printf("SUMMARY stat_event_iframe_request=%" PRIu64 "\n", g.stat_event[MIRACAST_PROTOCOL_EVENT_IFRAME_RQ]);
    printf("SUMMARY stat_event_monitor_arrive=%" PRIu64 "\n", g.stat_event[MIRACAST_PROTOCOL_EVENT_MONITOR_ARRIVE]);
    printf("SUMMARY stat_event_monitor_depart=%" PRIu64 "\n", g.stat_event[MIRACAST_PROTOCOL_EVENT_MONITOR_DEPART]);
    printf("SUMMARY chunk_sent_frame_regressions=%" PRIu64 "\n", g.chunk_sent_regressions);
    printf("SUMMARY datarate_registrations=%" PRIu64 "\n", g.datarate_registrations);
    printf("SUMMARY datarate_unregistrations=%" PRIu64 "\n", g.datarate_unregistrations);
    printf("SUMMARY datarate_calls=%" PRIu64 "\n", g.datarate_calls);
    printf("SUMMARY datarate_refused=%" PRIu64 "\n", g.datarate_refused);
    printf("SUMMARY datarate_registered_after_stop=%s\n", datarate_left ? "yes" : "no");
    printf("SUMMARY io_query_frame_store=%" PRIu64 "\n", g.io_query_store);
    printf("SUMMARY io_monitor_arrivals=%" PRIu64 "\n", g.io_arrivals);
    printf("SUMMARY io_monitor_departures=%" PRIu64 "\n", g.io_departures);
    printf("SUMMARY io_release_slots_calls=%" PRIu64 "\n", g.io_release_calls);
    printf("SUMMARY io_slots_released=%" PRIu64 "\n", g.io_slots_released);
    printf("SUMMARY io_bad_releases=%" PRIu64 "\n", g.io_bad_releases);
    printf("SUMMARY io_idr_requests=%" PRIu64 "\n", g.io_idr_requests);
    printf("SUMMARY io_invalid=%" PRIu64 "\n", g.io_invalid);
    printf("SUMMARY io_refused_during_stop=%" PRIu64 "\n", g.io_refused_during_stop);
    printf("SUMMARY session_status_reports=%" PRIu64 "\n", g.session_status_reports);
    printf("SUMMARY start_ok=%s\n", start_ok ? "yes" : "no");
    printf("SUMMARY arrival_after_start=%s\n", g.io_arrivals > 0 && g.io_arrivals_before_start == 0 ? "yes" : "no");
    printf("SUMMARY stop_ms=%.1f\n", stop_ms);
    printf("SUMMARY destroy_ms=%.1f\n", destroy_ms);
    pthread_mutex_unlock(&g.stats_lock);
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc == 3 && strcmp(argv[1], "--smoke") == 0)
        return smoke(argv[2]);
    if (argc < 3 || argc > 4) {
        fprintf(stderr, "usage: %s <driver.so> <seconds> [bitrate]\n       %s --smoke <driver.so>\n", argv[0], argv[0]);
        return 2;
    }
    const char *path = argv[1];
    double seconds = strtod(argv[2], NULL);
    g.bitrate = argc == 4 ? strtoull(argv[3], NULL, 10) : 20000000u;
    if (!(seconds > 0 && seconds <= 3600) || g.bitrate == 0) {
        fprintf(stderr, "ERROR: <seconds> must be in (0, 3600] and [bitrate] positive\n");
        return 2;
    }
    g.local_max = 300000000u;
    g.remote_max = 200000000u;

    pthread_mutex_init(&g.queue_lock, NULL);
    pthread_mutex_init(&g.start_hold, NULL);
    pthread_mutex_init(&g.datarate_lock, NULL);
    pthread_mutex_init(&g.stats_lock, NULL);
    g.queue_efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    g.datarate_stop_efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (g.queue_efd < 0 || g.datarate_stop_efd < 0)
        return fail("eventfd");

    MIRACAST_DRIVER_INTERFACE table;
    if (!load_driver(path, &table))
        return fail("the driver could not be loaded");
    if (!create_frame_store())
        return fail("the frame store could not be created under /dev/shm");

    int rtsp = listen_and_accept();
    if (rtsp < 0) {
        unlink(g.store_path);
        return fail("no RTSP connection");
    }

    PVOID context;
    NTSTATUS created = create_context(&table, &context);
    if (created != STATUS_SUCCESS || context == NULL) {
        close(rtsp);
        unlink(g.store_path);
        return fail("CreateMiracastContext failed");
    }

    MIRACAST_WFD_CONNECTION_STATS wfd = { .CurrentBitRate = g.bitrate, .LocalMaxBitRate = g.local_max, .RemoteMaxBitRate = g.remote_max };
    MIRACAST_SESSION_INFO info = { .Value = 0xFFFFFFFFu };
    pthread_mutex_lock(&g.start_hold);
    enter(LC_START);
    uint64_t t0 = now_ns();
    NTSTATUS started = table.StartMiracastSession(context, (SOCKET)rtsp, &wfd, &info);
    double start_ms = ms_since(t0);
    atomic_store(&g.start_returned, true);
    leave();
    pthread_mutex_unlock(&g.start_hold);
    printf("START status=0x%08x monitor=%u reduced=%u ms=%.1f\n", (unsigned)started, (unsigned)info.MonitorConnected,
           (unsigned)info.ReducedModeListDueToBandwidth, start_ms);
    fflush(stdout);

    double stop_ms = 0;
    bool start_ok = started == STATUS_SUCCESS;
    if (start_ok) {
        /* Stream; a reported session error makes the OS tear down at once (section 2.9). */
        uint64_t end = now_ns() + (uint64_t)(seconds * 1e9);
        while (now_ns() < end && !atomic_load(&g.status_error)) {
            struct timespec pause = { 0, 50000000L };
            nanosleep(&pause, NULL);
        }
        enter(LC_STOP);
        t0 = now_ns();
        table.StopMiracastSession(context);
        stop_ms = ms_since(t0);
        leave();
        printf("STOP ms=%.1f\n", stop_ms);
        fflush(stdout);
    } else {
        /* A failed Start is followed by Destroy only: there is no session to stop. */
        fprintf(stderr, "ERROR: StartMiracastSession failed with 0x%08x\n", (unsigned)started);
    }

    /* The connected session is gone: the KMD stops, GetNextChunkData answers INSTANCE_NOT_AVAILABLE,
       and no data-rate notification follows (the UMD could only unregister on the Stop thread). */
    session_gone();
    gpu_stop();
    pthread_mutex_lock(&g.datarate_lock);
    bool datarate_left = g.datarate_routine != NULL;
    g.datarate_routine = NULL;
    pthread_mutex_unlock(&g.datarate_lock);
    datarate_stop();

    double destroy_ms = destroy_context(&table, context);
    close(rtsp); /* the OS owns the RTSP socket (section 2.4); closed only after Destroy */
    munmap(g.store, (size_t)SLOT_COUNT * SLOT_SIZE);
    unlink(g.store_path);

    summary(start_ok, stop_ms, destroy_ms, datarate_left);
    bool flowed = g.frames_produced > 0 && g.chunks_delivered > 0 && g.stat_by_type[MIRACAST_STATISTIC_TYPE_CHUNK_SENT] > 0;
    bool arrival_ok = g.io_arrivals > 0 && g.io_arrivals_before_start == 0;
    bool ok = start_ok && flowed && arrival_ok && stop_ms < LIFECYCLE_BUDGET_MS && destroy_ms < LIFECYCLE_BUDGET_MS &&
              g.chunk_sent_regressions == 0;
    if (!ok) {
        fprintf(stderr, "ERROR: session checks failed: start %s, frames flowed %s, arrival after start %s, stop %.1f ms, destroy %.1f ms, CHUNK_SENT regressions %" PRIu64 "\n",
                start_ok ? "ok" : "failed", flowed ? "yes" : "no", arrival_ok ? "yes" : "no", stop_ms, destroy_ms, g.chunk_sent_regressions);
    }
    printf("RESULT %s\n", ok ? "ok" : "failed");
    fflush(stdout);
    return ok ? 0 : 1;
}
