/*
 * tests/fuzz/replay_main.c — a main() for fuzz targets built without
 * libFuzzer (gcc, `make check`): replays saved inputs through
 * LLVMFuzzerTestOneInput.
 *
 *   fuzz_<name> PATH...
 * For each PATH: a directory replays every regular file directly inside it
 * (names sorted bytewise, dot-files skipped, no recursion); anything else is
 * replayed as one file.  Each input is read into a heap block of exactly its
 * size, so ASan builds catch any read past the end.  Prints "replayed N
 * inputs" and exits 0; a target signals failure by crashing or aborting.
 * An unreadable PATH is a usage error (exit 2), so a mistyped corpus path
 * cannot pass silently as "replayed 0 inputs".
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t replayed;

static void die(const char *what, const char *path)
{
    fprintf(stderr, "replay: %s: %s: %s\n", what, path, strerror(errno));
    exit(2);
}

static void replay_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        die("cannot open", path);
    size_t cap = 4096, len = 0;
    uint8_t *buf = malloc(cap);
    if (!buf)
        die("out of memory reading", path);
    for (;;) {
        if (len == cap) {
            cap *= 2;
            uint8_t *n = realloc(buf, cap);
            if (!n)
                die("out of memory reading", path);
            buf = n;
        }
        size_t got = fread(buf + len, 1, cap - len, f);
        len += got;
        if (got == 0)
            break;
    }
    if (ferror(f))
        die("cannot read", path);
    fclose(f);
    /* Exact-size copy: one byte past the input is outside the block. */
    uint8_t *exact = malloc(len ? len : 1);
    if (!exact)
        die("out of memory reading", path);
    if (len)
        memcpy(exact, buf, len);
    free(buf);
    LLVMFuzzerTestOneInput(exact, len);
    free(exact);
    replayed++;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
    return strcmp((*a)->d_name, (*b)->d_name);
}

static int not_hidden(const struct dirent *d) { return d->d_name[0] != '.'; }

static void replay_dir(const char *dir)
{
    struct dirent **names;
    int n = scandir(dir, &names, not_hidden, by_name);
    if (n < 0)
        die("cannot list", dir);
    for (int i = 0; i < n; i++) {
        size_t need = strlen(dir) + 1 + strlen(names[i]->d_name) + 1;
        char *path = malloc(need);
        if (!path)
            die("out of memory listing", dir);
        snprintf(path, need, "%s/%s", dir, names[i]->d_name);
        struct stat st;
        if (stat(path, &st) != 0)
            die("cannot stat", path);
        if (S_ISREG(st.st_mode))
            replay_file(path);
        free(path);
        free(names[i]);
    }
    free(names);
}

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) != 0)
            die("cannot stat", argv[i]);
        if (S_ISDIR(st.st_mode))
            replay_dir(argv[i]);
        else
            replay_file(argv[i]);
    }
    printf("replayed %zu inputs\n", replayed);
    return 0;
}
