/*
 * insn_count: a QEMU TCG plugin that counts executed guest instructions
 * exactly, in total, per address range (functions from the ELF symbol
 * table) and between marker functions the firmware calls.
 *
 *   qemu-system-arm ... -plugin libinsn_count.so,ranges=FILE,out=FILE
 *
 * ranges=FILE  lines "name start end" (hexadecimal or decimal addresses,
 *              end exclusive; bit 0, the Thumb bit, is ignored), e.g. from
 *              `arm-none-eabi-nm -S --defined-only` (bench/cortex_m_bench.py
 *              writes it). Ranges may nest or overlap; an instruction counts
 *              for the smallest range that contains it.
 * out=FILE     where the report goes (default: QEMU's log, i.e. stderr).
 *
 * Markers: if the ranges file names these functions (firmware/main.cc,
 * `bench N`), the plugin snapshots its counters whenever the first
 * instruction of one of them executes:
 *   tinyonnx_bench_invoke_begin / _end   around one whole inference
 *   tinyonnx_bench_steps_begin           starts a pass over the plan's steps
 *   tinyonnx_bench_step_begin / _end     around one kernel step
 * A span counts the instructions from the begin marker's first instruction
 * up to (not including) the end marker's first instruction: the marker's own
 * `bx lr` and the call sequence around the measured code are in it (a few
 * instructions).
 *
 * Every instruction gets an inline add (no helper call) to the total and to
 * its range's counter, so counts are exact even when a translation block is
 * left early (exceptions, semihosting). Single vCPU (Cortex-M boards).
 *
 * Report lines (all counts are instructions):
 *   total N
 *   invokes K sum S min A max B
 *   steps_passes P
 *   step I sum S              (I = step index within a pass)
 *   range NAME all N invoke M (all: whole run; invoke: inside invoke spans)
 */
#define _POSIX_C_SOURCE 200809L /* strdup, open_memstream */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <qemu-plugin.h>

QEMU_PLUGIN_EXPORT int qemu_plugin_version = QEMU_PLUGIN_VERSION;

enum Marker {
  kInvokeBegin,
  kInvokeEnd,
  kStepsBegin,
  kStepBegin,
  kStepEnd,
  kMarkerCount
};
static const char* const kMarkerNames[kMarkerCount] = {
    "tinyonnx_bench_invoke_begin", "tinyonnx_bench_invoke_end", "tinyonnx_bench_steps_begin",
    "tinyonnx_bench_step_begin", "tinyonnx_bench_step_end"};

typedef struct {
  char* name;
  uint64_t start;
  uint64_t end;
} Range;

#define kMaxSteps 4096

static Range* ranges;       /* sorted by start, then by size descending */
static size_t range_count;
static uint64_t* counts;    /* range_count + 1 entries; the last: outside all ranges */
static uint64_t* snapshot;  /* counts at the last invoke_begin */
static uint64_t* in_invoke; /* sums over invoke spans */
static uint64_t total;
static uint64_t marker_addr[kMarkerCount];
static char* out_path;

static uint64_t invoke_start, invoke_count, invoke_sum, invoke_min = UINT64_MAX, invoke_max;
static uint64_t step_start, steps_passes, step_sums[kMaxSteps];
static int64_t step_index = -1;
static uint32_t step_max;

static int CompareRanges(const void* a, const void* b) {
  const Range* x = a;
  const Range* y = b;
  if (x->start != y->start) return x->start < y->start ? -1 : 1;
  uint64_t sx = x->end - x->start, sy = y->end - y->start;
  return sx == sy ? 0 : (sx > sy ? -1 : 1);
}

/* The smallest range containing addr, or range_count. Ranges are few
 * thousand at most and lookups happen at translation time only. */
static size_t FindRange(uint64_t addr) {
  size_t best = range_count;
  uint64_t best_size = UINT64_MAX;
  size_t lo = 0, hi = range_count;
  while (lo < hi) { /* first range with start > addr */
    size_t mid = (lo + hi) / 2;
    if (ranges[mid].start <= addr) lo = mid + 1; else hi = mid;
  }
  for (size_t i = lo; i-- > 0;) {
    if (addr < ranges[i].end && ranges[i].end - ranges[i].start < best_size) {
      best = i;
      best_size = ranges[i].end - ranges[i].start;
    }
    if (addr - ranges[i].start > (1u << 20)) break; /* no function is this large */
  }
  return best;
}

static int LoadRanges(const char* path) {
  FILE* f = fopen(path, "r");
  if (f == NULL) {
    fprintf(stderr, "insn_count: cannot open ranges file %s\n", path);
    return -1;
  }
  size_t capacity = 1024;
  ranges = malloc(capacity * sizeof(Range));
  if (ranges == NULL) {
    fclose(f);
    return -1;
  }
  char line[4096];
  while (fgets(line, sizeof(line), f) != NULL) {
    char name[4000];
    char a[64], b[64];
    if (line[0] == '#' || sscanf(line, "%3999s %63s %63s", name, a, b) != 3) continue;
    uint64_t start = strtoull(a, NULL, 0) & ~(uint64_t)1;
    uint64_t end = strtoull(b, NULL, 0);
    if (end <= start) continue;
    if (range_count == capacity) {
      Range* grown = realloc(ranges, 2 * capacity * sizeof(Range));
      if (grown == NULL) {
        fclose(f);
        return -1;
      }
      ranges = grown;
      capacity *= 2;
    }
    ranges[range_count].name = strdup(name);
    ranges[range_count].start = start;
    ranges[range_count].end = end;
    ++range_count;
    for (int m = 0; m < kMarkerCount; ++m) {
      if (strcmp(name, kMarkerNames[m]) == 0) marker_addr[m] = start;
    }
  }
  fclose(f);
  qsort(ranges, range_count, sizeof(Range), CompareRanges);
  return 0;
}

static void OnMarker(unsigned int vcpu, void* userdata) {
  (void)vcpu;
  switch ((enum Marker)(uintptr_t)userdata) {
    case kInvokeBegin:
      invoke_start = total;
      memcpy(snapshot, counts, (range_count + 1) * sizeof(uint64_t));
      break;
    case kInvokeEnd: {
      uint64_t n = total - invoke_start;
      ++invoke_count;
      invoke_sum += n;
      if (n < invoke_min) invoke_min = n;
      if (n > invoke_max) invoke_max = n;
      for (size_t i = 0; i <= range_count; ++i) in_invoke[i] += counts[i] - snapshot[i];
      break;
    }
    case kStepsBegin:
      ++steps_passes;
      step_index = 0;
      break;
    case kStepBegin:
      step_start = total;
      break;
    case kStepEnd:
      if (step_index >= 0 && step_index < kMaxSteps) {
        step_sums[step_index] += total - step_start;
        if ((uint32_t)step_index + 1 > step_max) step_max = (uint32_t)step_index + 1;
        ++step_index;
      }
      break;
    default:
      break;
  }
}

static void OnTranslate(qemu_plugin_id_t id, struct qemu_plugin_tb* tb) {
  (void)id;
  size_t n = qemu_plugin_tb_n_insns(tb);
  for (size_t i = 0; i < n; ++i) {
    struct qemu_plugin_insn* insn = qemu_plugin_tb_get_insn(tb, i);
    uint64_t addr = qemu_plugin_insn_vaddr(insn);
    /* Markers first: the callback then sees the counts before this
     * instruction, the same way at every marker. */
    for (int m = 0; m < kMarkerCount; ++m) {
      if (marker_addr[m] != 0 && addr == marker_addr[m]) {
        qemu_plugin_register_vcpu_insn_exec_cb(insn, OnMarker, QEMU_PLUGIN_CB_NO_REGS,
                                               (void*)(uintptr_t)m);
      }
    }
    qemu_plugin_register_vcpu_insn_exec_inline(insn, QEMU_PLUGIN_INLINE_ADD_U64, &total, 1);
    qemu_plugin_register_vcpu_insn_exec_inline(insn, QEMU_PLUGIN_INLINE_ADD_U64,
                                               &counts[FindRange(addr)], 1);
  }
}

static void OnExit(qemu_plugin_id_t id, void* userdata) {
  (void)id;
  (void)userdata;
  char* text = NULL;
  size_t size = 0;
  FILE* f = out_path != NULL ? fopen(out_path, "w") : open_memstream(&text, &size);
  if (f == NULL) {
    fprintf(stderr, "insn_count: cannot write %s\n", out_path);
    return;
  }
  fprintf(f, "total %" PRIu64 "\n", total);
  fprintf(f, "invokes %" PRIu64 " sum %" PRIu64 " min %" PRIu64 " max %" PRIu64 "\n", invoke_count,
          invoke_sum, invoke_count ? invoke_min : 0, invoke_max);
  fprintf(f, "steps_passes %" PRIu64 "\n", steps_passes);
  for (uint32_t s = 0; s < step_max; ++s) fprintf(f, "step %u sum %" PRIu64 "\n", s, step_sums[s]);
  for (size_t i = 0; i <= range_count; ++i) {
    if (counts[i] == 0) continue;
    fprintf(f, "range %s all %" PRIu64 " invoke %" PRIu64 "\n",
            i < range_count ? ranges[i].name : "(outside)", counts[i], in_invoke[i]);
  }
  fclose(f);
  if (text != NULL) {
    qemu_plugin_outs(text);
    free(text);
  }
}

QEMU_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t* info, int argc,
                                           char** argv) {
  if (info->system_emulation && info->system.max_vcpus > 1) {
    fprintf(stderr, "insn_count: one vCPU only\n");
    return -1;
  }
  for (int i = 0; i < argc; ++i) {
    if (strncmp(argv[i], "ranges=", 7) == 0) {
      if (LoadRanges(argv[i] + 7) != 0) return -1;
    } else if (strncmp(argv[i], "out=", 4) == 0) {
      out_path = strdup(argv[i] + 4);
    } else {
      fprintf(stderr, "insn_count: unknown argument %s (ranges=FILE, out=FILE)\n", argv[i]);
      return -1;
    }
  }
  counts = calloc(range_count + 1, sizeof(uint64_t));
  snapshot = calloc(range_count + 1, sizeof(uint64_t));
  in_invoke = calloc(range_count + 1, sizeof(uint64_t));
  if (counts == NULL || snapshot == NULL || in_invoke == NULL) return -1;
  qemu_plugin_register_vcpu_tb_trans_cb(id, OnTranslate);
  qemu_plugin_register_atexit_cb(id, OnExit, NULL);
  return 0;
}
