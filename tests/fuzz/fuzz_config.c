/* fuzz_config.c: the INI file as staff edit it. config_load takes a path, so the input is
 * written to an in-memory file (memfd) opened by its /proc/self/fd name; then config_check,
 * as the kiosk does at start-up. The first line also goes through config_set (--set). */
#include <sys/mman.h>
#include <unistd.h>

#include "config/config.h"
#include "fuzz.h"

static int fd = -1;
static char path[64];
static struct config *config;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    fd = memfd_create("kiosk.ini", 0);
    if (fd < 0)
        abort();
    snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
    config = malloc(sizeof(*config));
    if (!config)
        abort();
    return 0;
}

/* Every problem is reported as "file:line: message" lines naming the file. */
static void check_error(const char *err)
{
    FUZZ_CHECK(err != NULL && strncmp(err, path, strlen(path)) == 0);
}

static void load(const uint8_t *data, size_t size)
{
    if (ftruncate(fd, 0) != 0 || pwrite(fd, data, size, 0) != (ssize_t)size)
        abort();
    char *err = NULL;
    config_defaults(config);
    if (config_load(config, path, &err)) {
        FUZZ_CHECK(err == NULL);
        FUZZ_TERMINATED(config->device.id);
        FUZZ_TERMINATED(config->display.hospital_zh);
        FUZZ_TERMINATED(config->backend.url);
        FUZZ_TERMINATED(config->kiosk.departments);
        FUZZ_CHECK(config->printer.band_rows >= 8 && config->printer.band_rows <= 256);
        if (!config_check(config, &err))
            check_error(err);
    } else {
        check_error(err);
    }
    free(err);
}

static void set(const uint8_t *data, size_t size)
{
    const uint8_t *nl = memchr(data, '\n', size);
    char *line = fuzz_string(data, nl ? (size_t)(nl - data) : size);
    char *err = NULL;
    config_defaults(config);
    if (!config_set(config, line, &err))
        FUZZ_CHECK(err != NULL && err[0]);
    free(err);
    free(line);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > (size_t)64 * 1024)
        return 0; /* a config file is a few kilobytes; longer inputs only slow the search */
    load(data, size);
    set(data, size);
    return 0;
}
