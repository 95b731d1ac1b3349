/*
 * ingest.c — `budgetpdf ingest [--db FILE] [-j N] [--force] PATH...`
 *
 * Files and folders (recursive, *.pdf) are collected and sorted.  A file
 * whose sha256 is already loaded is skipped unless --force.  Each remaining
 * file is parsed by a forked worker process under CPU, memory and
 * wall-clock limits (worker.c); the worker sends back its private database
 * as bytes over a pipe and the parent, the only writer, merges it in one
 * transaction.  A worker that fails, crashes, hangs or exceeds a limit
 * becomes one line on stderr and a row in ingest_errors; the batch goes on.
 *
 * Wire format worker → parent: a fixed header {magic "BPW1", status,
 * pages, payload size} followed by the payload: the serialized database
 * when status is BP_OK, else a bp_error record.
 */
#include "cli/cli.h"
#include "cli/worker.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "extract/extract.h"
#include "load/load.h"
#include "normalize/normalize.h"

#if defined(__SANITIZE_ADDRESS__)
#define BP_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define BP_ASAN 1
#endif
#endif

typedef struct wire_header {
    char magic[4];
    int32_t status;
    int32_t pages;
    uint64_t size;
} wire_header;

typedef struct file_list {
    char **paths;
    size_t n, cap;
} file_list;

typedef struct job {
    const char *path;
    pid_t pid;
    int fd;
    double started;
    unsigned char *buf;
    size_t len, cap;
    int done_reading;
} job;

typedef struct ingest_state {
    bp_db *db;
    bp_worker_options opt;
    int force, verbose, tty;
    int no_documents; /* none loaded yet: no file can be unchanged */
    size_t total, finished;
    size_t loaded, skipped, failed;
    int64_t pages, tables, cells;
    double started;
} ingest_state;

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ---- collecting files ---------------------------------------------------- */

static int list_add(file_list *list, const char *path)
{
    if (list->n == list->cap) {
        size_t cap = list->cap ? 2 * list->cap : 64;
        char **paths = realloc(list->paths, cap * sizeof *paths);
        if (paths == NULL)
            return -1;
        list->paths = paths;
        list->cap = cap;
    }
    list->paths[list->n] = strdup(path);
    return list->paths[list->n++] ? 0 : -1;
}

static int has_pdf_suffix(const char *name)
{
    size_t n = strlen(name);
    return n > 4 && strcasecmp(name + n - 4, ".pdf") == 0;
}

static void collect_dir(file_list *list, const char *dir, int depth)
{
    if (depth > 64)
        return;
    DIR *d = opendir(dir);
    if (d == NULL)
        return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char path[4096];
        size_t dir_len = strlen(dir);
        while (dir_len > 0 && dir[dir_len - 1] == '/')
            dir_len--; /* "corpus/" + name is "corpus/name", "/" + name "/name" */
        if ((size_t)snprintf(path, sizeof path, "%.*s/%s", (int)dir_len, dir, e->d_name) >=
            sizeof path)
            continue;
        struct stat st;
        if (stat(path, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode))
            collect_dir(list, path, depth + 1);
        else if (S_ISREG(st.st_mode) && has_pdf_suffix(e->d_name))
            list_add(list, path);
    }
    closedir(d);
}

static int by_path(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* ---- reporting ------------------------------------------------------------ */

static void report_error(ingest_state *st, const char *path, const char *sha256,
                         const bp_error *err)
{
    if (st->tty)
        fputs("\r\033[K", stderr);
    fprintf(stderr, "budgetpdf: %s\n", err->message);
    bp_db_record_error(st->db, path, sha256, err);
    st->failed++;
}

static void show_progress(ingest_state *st)
{
    if (!st->tty)
        return;
    double elapsed = now_seconds() - st->started;
    double rate = elapsed > 0 ? st->pages / elapsed : 0;
    double left = st->finished ? elapsed / st->finished * (st->total - st->finished) : 0;
    fprintf(stderr, "\r\033[K[%zu/%zu] %.1f pages/s, %zu error%s, ~%.0f s left",
            st->finished, st->total, rate, st->failed, st->failed == 1 ? "" : "s", left);
    fflush(stderr);
}

static void report_line(ingest_state *st, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void report_line(ingest_state *st, const char *path, const char *fmt, ...)
{
    if (st->tty)
        return;
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "%s: ", path);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

/* ---- the worker side ------------------------------------------------------ */

static int write_all(int fd, const void *data, size_t size)
{
    const unsigned char *p = data;
    while (size > 0) {
        ssize_t n = write(fd, p, size);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        p += n;
        size -= (size_t)n;
    }
    return 0;
}

static void apply_limits(const bp_worker_options *opt)
{
    struct rlimit rl;
    if (opt->max_cpu_seconds > 0) {
        /* SIGXCPU comes at the soft limit only when the hard one is higher;
         * with both equal the kernel sends SIGKILL, which reads as a crash.
         * SIGXCPU's default action dumps core: no core files. */
        rl.rlim_cur = (rlim_t)opt->max_cpu_seconds;
        rl.rlim_max = rl.rlim_cur + 5;
        setrlimit(RLIMIT_CPU, &rl);
        rl.rlim_cur = rl.rlim_max = 0;
        setrlimit(RLIMIT_CORE, &rl);
    }
#ifndef BP_ASAN /* ASan reserves terabytes of address space up front */
    if (opt->max_memory_mb > 0) {
        rl.rlim_cur = rl.rlim_max = (rlim_t)opt->max_memory_mb * 1024 * 1024;
        setrlimit(RLIMIT_AS, &rl);
    }
#endif
}

static void run_worker(int fd, const char *path, const bp_worker_options *opt, int verbose)
{
    apply_limits(opt);
    if (!verbose) { /* poppler's own complaints about damaged files */
        int null = open("/dev/null", O_WRONLY);
        if (null >= 0) {
            dup2(null, STDERR_FILENO);
            close(null);
        }
    }
    bp_error err;
    bp_error_clear(&err);
    bp_db *db = NULL;
    int pages = 0;
    void *data = NULL;
    size_t size = 0;
    bp_status rc = bp_worker_parse(path, opt, &db, &pages, &err);
    if (rc == BP_OK)
        rc = bp_db_serialize(db, &data, &size, &err);
    wire_header h = {{'B', 'P', 'W', '1'}, rc, pages, rc == BP_OK ? size : sizeof err};
    int failed = write_all(fd, &h, sizeof h) ||
                 write_all(fd, rc == BP_OK ? data : (void *)&err, (size_t)h.size);
    /* The process ends here and its memory with it: the database and the
     * bytes are not freed one by one, and the parent, which merges once the
     * pipe closes, does not wait for that. */
    close(fd);
    _exit(failed ? 3 : 0);
}

/* ---- the parent side ------------------------------------------------------ */

static int start_job(ingest_state *st, job *j, const char *path)
{
    int fds[2];
    if (pipe(fds) != 0)
        return -1;
    /* loaded once, before the first fork, not in every worker
     * (reconcile folds labels), nor when no file needs a worker */
    bp_label_fold_prepare();
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        return -1;
    }
    if (pid == 0) {
        close(fds[0]);
        run_worker(fds[1], path, &st->opt, st->verbose);
    }
    close(fds[1]);
    memset(j, 0, sizeof *j);
    j->path = path;
    j->pid = pid;
    j->fd = fds[0];
    j->started = now_seconds();
    return 0;
}

static void read_job(job *j)
{
    if (j->cap - j->len < 65536) {
        size_t cap = j->cap ? 2 * j->cap : 1 << 20;
        unsigned char *buf = realloc(j->buf, cap);
        if (buf == NULL) {
            j->done_reading = 1;
            return;
        }
        j->buf = buf;
        j->cap = cap;
    }
    ssize_t n = read(j->fd, j->buf + j->len, j->cap - j->len);
    if (n > 0)
        j->len += (size_t)n;
    else if (n == 0 || errno != EINTR)
        j->done_reading = 1;
}

static void describe_death(int status, const job *j, const ingest_state *st, bp_error *err)
{
    if (WIFSIGNALED(status)) {
        int sig = WTERMSIG(status);
        if (sig == SIGXCPU)
            bp_error_set(err, BP_ERR_LIMIT, 0, "%s: worker exceeded the CPU limit of %ld s",
                         j->path, st->opt.max_cpu_seconds);
        else
            bp_error_set(err, BP_ERR_CRASH, 0, "%s: worker crashed (%s)", j->path,
                         strsignal(sig));
    } else {
        bp_error_set(err, BP_ERR_CRASH, 0,
                     "%s: worker died (exit %d) without a result; out of memory?",
                     j->path, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    }
}

/* True when the job's bytes are a whole reply; its header is then in *h. */
static int reply_complete(const job *j, wire_header *h)
{
    if (j->len < sizeof *h)
        return 0;
    memcpy(h, j->buf, sizeof *h);
    return memcmp(h->magic, "BPW1", 4) == 0 && j->len == sizeof *h + h->size;
}

static int reap(pid_t pid)
{
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    return status;
}

/* Reports or merges a finished job's reply and reaps its worker.  A whole
 * reply is merged while the worker is still exiting: its exit status is
 * waited for first only when it has to explain a missing reply. */
static void finish_job(ingest_state *st, job *j, int timed_out)
{
    bp_error err;
    bp_error_clear(&err);
    wire_header h;
    int complete = reply_complete(j, &h);
    int reaped = 0;
    if (timed_out) {
        bp_error_set(&err, BP_ERR_LIMIT, 0, "%s: worker exceeded the time limit of %ld s",
                     j->path, st->opt.timeout_seconds);
        report_error(st, j->path, NULL, &err);
    } else if (!complete) {
        describe_death(reap(j->pid), j, st, &err);
        reaped = 1;
        report_error(st, j->path, NULL, &err);
    } else if (h.status != BP_OK) {
        memcpy(&err, j->buf + sizeof h, sizeof err);
        err.message[sizeof err.message - 1] = '\0';
        if (strstr(err.message, j->path) == NULL) { /* every line names its file */
            bp_error named;
            bp_error_set(&named, err.code, err.page, "%s: %s", j->path, err.message);
            err = named;
        }
        report_error(st, j->path, NULL, &err);
    } else {
        int64_t doc_id = 0;
        int merged = 0;
        if (bp_db_merge_document(st->db, j->buf + sizeof h, (size_t)h.size, st->force,
                                 &doc_id, &merged, &err) != BP_OK) {
            bp_error named;
            bp_error_set(&named, err.code, err.page, "%s: %s", j->path, err.message);
            report_error(st, j->path, NULL, &named);
        } else if (!merged) {
            st->skipped++;
            report_line(st, j->path, "unchanged, skipped");
        } else {
            int64_t tables = 0, cells = 0;
            bp_db_document_counts(st->db, doc_id, &tables, &cells);
            st->loaded++;
            st->no_documents = 0;
            st->pages += h.pages;
            st->tables += tables;
            st->cells += cells;
            report_line(st, j->path, "%s (%d pages, %lld tables, %lld cells, %.2f s)",
                        merged == 2 ? "replaced" : "loaded", (int)h.pages, (long long)tables,
                        (long long)cells, now_seconds() - j->started);
        }
    }
    if (!reaped)
        reap(j->pid);
    free(j->buf);
    j->buf = NULL;
    st->finished++;
    show_progress(st);
}

/* True when the file's content is already loaded (and so skipped).  Into
 * a database that holds no document yet, a file is not hashed here (the
 * merge still finds a copy loaded meanwhile, by this or another ingest). */
static int already_loaded(ingest_state *st, const char *path)
{
    if (st->force || st->no_documents)
        return 0;
    char sha256[65];
    bp_error err;
    int64_t doc_id = 0;
    if (bp_file_sha256(path, sha256, &err) != BP_OK)
        return 0; /* the worker will report it */
    if (bp_db_find_document(st->db, sha256, &doc_id, &err) != BP_OK || doc_id == 0)
        return 0;
    st->skipped++;
    st->finished++;
    report_line(st, path, "unchanged, skipped");
    show_progress(st);
    return 1;
}

static void run_pool(ingest_state *st, file_list *files, int jobs)
{
    job *running = calloc((size_t)jobs, sizeof *running);
    struct pollfd *pfds = calloc((size_t)jobs, sizeof *pfds);
    int n_running = 0;
    size_t next = 0;
    while (next < files->n || n_running > 0) {
        while (n_running < jobs && next < files->n) {
            const char *path = files->paths[next++];
            if (already_loaded(st, path))
                continue;
            if (start_job(st, &running[n_running], path) != 0) {
                bp_error err;
                bp_error_set(&err, BP_ERR_INTERNAL, 0, "%s: cannot start a worker (%s)",
                             path, strerror(errno));
                report_error(st, path, NULL, &err);
                st->finished++;
                continue;
            }
            n_running++;
        }
        if (n_running <= 0)
            continue;
        for (int i = 0; i < n_running; i++) {
            pfds[i].fd = running[i].fd;
            pfds[i].events = POLLIN;
            pfds[i].revents = 0;
        }
        poll(pfds, (nfds_t)n_running, 250);
        double now = now_seconds();
        for (int i = 0; i < n_running; i++) {
            job *j = &running[i];
            int timed_out = st->opt.timeout_seconds > 0 &&
                            now - j->started > (double)st->opt.timeout_seconds;
            if (pfds[i].revents & (POLLIN | POLLHUP | POLLERR))
                read_job(j);
            if (!j->done_reading && !timed_out)
                continue;
            if (timed_out)
                kill(j->pid, SIGKILL);
            close(j->fd);
            finish_job(st, j, timed_out && !j->done_reading);
            running[i] = running[n_running - 1];
            pfds[i] = pfds[n_running - 1];
            n_running--;
            i--;
        }
    }
    free(running);
    free(pfds);
}

static long parse_long(const char *s, long min, long max, int *ok)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    *ok = errno == 0 && *s && *end == '\0' && v >= min && v <= max;
    return v;
}

static const char usage[] =
    "usage: budgetpdf ingest [--db FILE] [-j N] [--force] [--timeout S] [--max-memory MB]\n"
    "                        [--max-cpu S] [--max-pages N] [--verbose] PATH...";

int bp_cli_ingest(int argc, char **argv, bp_cli_globals *globals)
{
    ingest_state st;
    memset(&st, 0, sizeof st);
    bp_worker_options_default(&st.opt);
    st.opt.patterns_dir = globals->patterns_dir;
    long jobs = sysconf(_SC_NPROCESSORS_ONLN);
    if (jobs < 1)
        jobs = 1;
    file_list inputs = {0}, files = {0};
    int ok = 1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int has_value = i + 1 < argc;
        if (strcmp(a, "--force") == 0)
            st.force = 1;
        else if (strcmp(a, "--verbose") == 0 || strcmp(a, "-v") == 0)
            st.verbose = 1;
        else if (strcmp(a, "--db") == 0 && has_value)
            globals->db_path = argv[++i];
        else if (strcmp(a, "--patterns") == 0 && has_value)
            st.opt.patterns_dir = globals->patterns_dir = argv[++i];
        else if (strcmp(a, "-j") == 0 && has_value)
            jobs = parse_long(argv[++i], 1, 256, &ok);
        else if (strncmp(a, "-j", 2) == 0 && a[2])
            jobs = parse_long(a + 2, 1, 256, &ok);
        else if (strcmp(a, "--timeout") == 0 && has_value)
            st.opt.timeout_seconds = parse_long(argv[++i], 0, 86400, &ok);
        else if (strcmp(a, "--max-memory") == 0 && has_value)
            st.opt.max_memory_mb = parse_long(argv[++i], 0, 1 << 20, &ok);
        else if (strcmp(a, "--max-cpu") == 0 && has_value)
            st.opt.max_cpu_seconds = parse_long(argv[++i], 0, 86400, &ok);
        else if (strcmp(a, "--max-pages") == 0 && has_value)
            st.opt.max_pages = (int)parse_long(argv[++i], 0, 1000000, &ok);
        else if (strcmp(a, "--help") == 0) {
            puts(usage);
            return BP_EXIT_OK;
        } else if (a[0] == '-' && a[1])
            return bp_cli_usage_error("ingest", usage);
        else
            list_add(&inputs, a);
        if (!ok)
            return bp_cli_usage_error("ingest", usage);
    }
    if (inputs.n == 0)
        return bp_cli_usage_error("ingest", usage);

    bp_error err;
    if (bp_db_open(globals->db_path, &st.db, &err) != BP_OK) {
        fprintf(stderr, "budgetpdf: %s\n", err.message);
        return BP_EXIT_USAGE;
    }
    st.tty = isatty(STDERR_FILENO) && !st.verbose;
    st.no_documents = bp_db_count(st.db, "documents") == 0;
    st.started = now_seconds();
    for (size_t i = 0; i < inputs.n; i++) {
        struct stat sb;
        const char *path = inputs.paths[i];
        if (stat(path, &sb) != 0) {
            bp_error_set(&err, BP_ERR_IO, 0, "%s: no such file or directory", path);
            report_error(&st, path, NULL, &err);
        } else if (S_ISDIR(sb.st_mode)) {
            size_t before = files.n;
            collect_dir(&files, path, 0);
            qsort(files.paths + before, files.n - before, sizeof *files.paths, by_path);
        } else {
            list_add(&files, path);
        }
    }
    st.total = files.n;
    run_pool(&st, &files, (int)jobs);
    if (st.tty)
        fputs("\r\033[K", stderr);

    printf("ingested %zu document%s (%lld pages, %lld tables, %lld cells); "
           "%zu unchanged, %zu error%s; %.1f s\n",
           st.loaded, st.loaded == 1 ? "" : "s", (long long)st.pages, (long long)st.tables,
           (long long)st.cells, st.skipped, st.failed, st.failed == 1 ? "" : "s",
           now_seconds() - st.started);
    bp_db_close(st.db);
    for (size_t i = 0; i < inputs.n; i++)
        free(inputs.paths[i]);
    for (size_t i = 0; i < files.n; i++)
        free(files.paths[i]);
    free(inputs.paths);
    free(files.paths);
    return st.failed ? BP_EXIT_FAILED : BP_EXIT_OK;
}
