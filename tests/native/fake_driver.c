/*
 * fake_driver.c - a stand-in Miracast UMD for testing miraflow_host itself (not the driver): it
 * speaks no RTSP; Start asks for the frame store and registers for data-rate notifications, then
 * its own thread raises the monitor arrival at 1280x720@30 and drains GetNextChunkData, reporting
 * CHUNK_SENT and releasing every slot, until Stop signals its eventfd.
 *
 * Build: gcc -std=c11 -O2 -Wall -Wextra -Werror -pthread -shared -fPIC -o fake_driver.so fake_driver.c
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "netdispumdddi.h"

static MIRACAST_CALLBACKS cb;
static HANDLE device;
static pthread_t sender;
static int stop_fd = -1;
static int context_token;

static void hdr(uint8_t *p, uint16_t type, uint32_t size)
{
    uint32_t magic = 0x504B464Du;
    uint16_t version = 1;
    memcpy(p, &magic, 4);
    memcpy(p + 4, &version, 2);
    memcpy(p + 6, &type, 2);
    memcpy(p + 8, &size, 4);
}

static void NTAPI on_datarate(PVOID context, MIRACAST_DATARATE_STATS *stats) { (void)context; (void)stats; }

static void *sender_main(void *arg)
{
    (void)arg;
    uint8_t arrival[32] = { 0 };
    hdr(arrival, 16, 32);
    uint32_t mode[4] = { 15, 1280, 720, 30 };
    memcpy(arrival + 12, mode, sizeof mode);
    cb.MiracastIoControl(device, 0, sizeof arrival, arrival, 0, NULL, NULL);
    uint8_t buffer[4096];
    HANDLE events[1] = { (HANDLE)(intptr_t)stop_fd };
    for (;;) {
        UINT size = sizeof buffer, outstanding = 0;
        NTSTATUS s = cb.GetNextChunkData(device, 100, 1, events, &size, (MIRACAST_CHUNK_DATA *)buffer, &outstanding);
        if (s == STATUS_SUCCESS && size == 0)
            break; /* STATUS_WAIT_0: stop */
        if (s != STATUS_SUCCESS)
            continue; /* timeout, reset */
        for (UINT at = 0; at < size;) {
            MIRACAST_CHUNK_INFO info;
            UINT priv;
            memcpy(&info, buffer + at, sizeof info);
            memcpy(&priv, buffer + at + 24, 4);
            if (priv >= 72) {
                uint32_t slot;
                memcpy(&slot, buffer + at + 28 + 56, 4);
                MIRACAST_STATISTIC_DATA sent;
                memset(&sent, 0, sizeof sent);
                sent.StatisticType = MIRACAST_STATISTIC_TYPE_CHUNK_SENT;
                sent.ChunkSent.ChunkId = info.ChunkId;
                cb.ReportStatistic(device, &sent);
                uint8_t release[20];
                hdr(release, 19, 20);
                uint32_t one = 1;
                memcpy(release + 12, &one, 4);
                memcpy(release + 16, &slot, 4);
                cb.MiracastIoControl(device, 0, sizeof release, release, 0, NULL, NULL);
            }
            at += 28 + priv;
        }
    }
    return NULL;
}

static NTSTATUS NTAPI create(HANDLE d, MIRACAST_CALLBACKS *c, PVOID *ctx) { device = d; cb = *c; *ctx = &context_token; return 0; }
static VOID NTAPI destroy(PVOID ctx) { (void)ctx; }

static NTSTATUS NTAPI start(PVOID ctx, SOCKET s, MIRACAST_WFD_CONNECTION_STATS *stats, MIRACAST_SESSION_INFO *info)
{
    (void)ctx; (void)s; (void)stats;
    uint8_t query[12], store[88];
    UINT returned = 0;
    hdr(query, 18, 12);
    if (cb.MiracastIoControl(device, 0, sizeof query, query, sizeof store, store, &returned) != 0 || returned != 88)
        return STATUS_INVALID_PARAMETER;
    if (cb.RegisterForDataRateNotifications(device, NULL, on_datarate) != 0)
        return STATUS_INVALID_PARAMETER;
    stop_fd = eventfd(0, EFD_CLOEXEC);
    pthread_create(&sender, NULL, sender_main, NULL);
    info->Value = 1;
    return 0;
}

static VOID NTAPI stop(PVOID ctx)
{
    (void)ctx;
    uint64_t one = 1;
    if (write(stop_fd, &one, sizeof one) == sizeof one)
        pthread_join(sender, NULL);
    close(stop_fd);
    cb.RegisterForDataRateNotifications(device, NULL, NULL);
}

static NTSTATUS NTAPI kmd(PVOID c, UINT a, VOID *b, UINT d, VOID *e, UINT *f) { (void)c; (void)a; (void)b; (void)d; (void)e; *f = 0; return 0; }

__attribute__((visibility("default"))) NTSTATUS NTAPI QueryMiracastDriverInterface(UINT version, UINT size, VOID *out)
{
    if (version != 1)
        return STATUS_NOT_SUPPORTED;
    if (size < sizeof(MIRACAST_DRIVER_INTERFACE))
        return STATUS_BUFFER_TOO_SMALL;
    MIRACAST_DRIVER_INTERFACE t = { sizeof t, create, destroy, start, stop, kmd };
    memcpy(out, &t, sizeof t);
    return 0;
}
