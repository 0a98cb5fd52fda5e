// sysfs_mmap: map a PCI resource file (/sys/bus/pci/devices/<BDF>/resourceN) and access it with single loads
// and stores of exactly the width asked for. Plain N-API (node_api.h only), so one binary loads in Node and
// in Electron without a rebuild. See hil/sysfs/README.md for who may map what.
//
// Why volatile: the mapping is MMIO. A plain pointer access may be merged with a neighbour, split into bytes,
// repeated or dropped by the compiler; a device register reacts to each access and its width (doorbells, RW1C
// status, 64-bit registers the device latches on the low half). A volatile access of a naturally aligned
// object of 1/2/4/8 bytes compiles to one load or store of that width on x86-64 and AArch64.
// Why aligned: a misaligned MMIO access is split by the CPU (or faults, on AArch64 device memory); PCIe
// registers are defined for naturally aligned accesses only (CXL 2.0 8.2.2). So we refuse them here, in C.
#ifndef NAPI_VERSION
#define NAPI_VERSION 8 // napi_create_bigint_uint64 needs 6; 8 is in Node >= 12.22 and every Electron in use
#endif
#include <node_api.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct {
  volatile uint8_t *base; // NULL once closed
  size_t size;
  bool writable; // a store into a PROT_READ mapping would kill the process (SIGSEGV), not throw
} mapping;

#define CHECK(call) do { if ((call) != napi_ok) { napi_throw_error(env, "ERR_SYSFS_NAPI", #call " failed"); return NULL; } } while (0)

// Throw an Error whose code is the errno name's number (mapped to a name in TS) and whose message names the path.
static napi_value throw_errno(napi_env env, const char *what, const char *path, int err) {
  char msg[4096 + 128], code[32];
  snprintf(msg, sizeof msg, "%s %s: %s", what, path, strerror(err));
  snprintf(code, sizeof code, "ERRNO_%d", err);
  napi_throw_error(env, code, msg);
  return NULL;
}

static void finalize(napi_env env, void *data, void *hint) {
  mapping *m = data;
  (void)env; (void)hint;
  if (m->base) munmap((void *)m->base, m->size);
  free(m);
}

// open(path: string, writable: boolean) -> handle
static napi_value js_open(napi_env env, napi_callback_info info) {
  size_t argc = 2; napi_value argv[2]; char path[4096]; size_t len; bool writable = false;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 1 || napi_get_value_string_utf8(env, argv[0], path, sizeof path, &len) != napi_ok) {
    napi_throw_type_error(env, "ERR_SYSFS_ARG", "open(path, writable): path must be a string");
    return NULL;
  }
  if (argc > 1) napi_get_value_bool(env, argv[1], &writable);
  // resourceN is mapped uncached by the kernel whatever the flags (resourceN_wc would write-combine); O_SYNC
  // keeps the same open as a /dev/mem user would do, where it is what selects an uncached mapping.
  int fd = open(path, writable ? O_RDWR | O_SYNC : O_RDONLY);
  if (fd < 0) return throw_errno(env, "open", path, errno);
  struct stat st;
  if (fstat(fd, &st) < 0) { int e = errno; close(fd); return throw_errno(env, "fstat", path, e); }
  if (st.st_size <= 0) { close(fd); return throw_errno(env, "mmap (empty file)", path, EINVAL); }
  void *p = mmap(NULL, (size_t)st.st_size, writable ? PROT_READ | PROT_WRITE : PROT_READ, MAP_SHARED, fd, 0);
  int e = errno;
  close(fd); // the mapping keeps the file referenced
  if (p == MAP_FAILED) return throw_errno(env, "mmap", path, e);
  mapping *m = malloc(sizeof *m);
  if (!m) { munmap(p, (size_t)st.st_size); return throw_errno(env, "malloc for", path, ENOMEM); }
  m->base = p; m->size = (size_t)st.st_size; m->writable = writable;
  napi_value h;
  if (napi_create_external(env, m, finalize, NULL, &h) != napi_ok) { finalize(env, m, NULL); CHECK(napi_generic_failure); }
  return h;
}

// Common argument handling: handle, offset, bounds and alignment. Returns NULL (with a JS error pending) on failure.
static mapping *access_args(napi_env env, napi_callback_info info, size_t width, napi_value *value, size_t *off) {
  size_t argc = 3; napi_value argv[3]; void *data; double o;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 2 ||
      napi_get_value_external(env, argv[0], &data) != napi_ok || napi_get_value_double(env, argv[1], &o) != napi_ok) {
    napi_throw_type_error(env, "ERR_SYSFS_ARG", "expected (handle, offset[, value])");
    return NULL;
  }
  mapping *m = data;
  char msg[160];
  if (!m->base) { napi_throw_error(env, "ERR_SYSFS_CLOSED", "mapping is closed"); return NULL; }
  if (!(o >= 0 && o <= (double)m->size) || (size_t)o + width > m->size) { // also rejects NaN
    snprintf(msg, sizeof msg, "offset %.0f + %zu bytes is outside the mapping (size 0x%zx)", o, width, m->size);
    napi_throw_range_error(env, "ERR_SYSFS_BOUNDS", msg);
    return NULL;
  }
  *off = (size_t)o;
  if ((double)*off != o) { napi_throw_type_error(env, "ERR_SYSFS_ARG", "offset must be an integer"); return NULL; }
  if (*off % width) {
    snprintf(msg, sizeof msg, "offset 0x%zx is not aligned to its width %zu (size 0x%zx)", *off, width, m->size);
    napi_throw_range_error(env, "ERR_SYSFS_ALIGN", msg);
    return NULL;
  }
  if (value) {
    if (!m->writable) { napi_throw_error(env, "ERR_SYSFS_READONLY", "mapping was opened read-only"); return NULL; }
    if (argc < 3) { napi_throw_type_error(env, "ERR_SYSFS_ARG", "missing value"); return NULL; }
    *value = argv[2];
  }
  return m;
}

#define READ_FN(name, type, width) \
  static napi_value name(napi_env env, napi_callback_info info) { \
    size_t off; mapping *m = access_args(env, info, width, NULL, &off); \
    if (!m) return NULL; \
    type v = *(volatile type *)(m->base + off); /* one load of exactly `width` bytes */ \
    napi_value r; CHECK(napi_create_uint32(env, (uint32_t)v, &r)); return r; \
  }
#define WRITE_FN(name, type, width) \
  static napi_value name(napi_env env, napi_callback_info info) { \
    size_t off; napi_value val; uint32_t v; mapping *m = access_args(env, info, width, &val, &off); \
    if (!m) return NULL; \
    if (napi_get_value_uint32(env, val, &v) != napi_ok) { napi_throw_type_error(env, "ERR_SYSFS_ARG", "value must be a number"); return NULL; } \
    *(volatile type *)(m->base + off) = (type)v; /* one store of exactly `width` bytes */ \
    return NULL; \
  }
READ_FN(js_read8, uint8_t, 1)
READ_FN(js_read16, uint16_t, 2)
READ_FN(js_read32, uint32_t, 4)
WRITE_FN(js_write8, uint8_t, 1)
WRITE_FN(js_write16, uint16_t, 2)
WRITE_FN(js_write32, uint32_t, 4)

static napi_value js_read64(napi_env env, napi_callback_info info) {
  size_t off; mapping *m = access_args(env, info, 8, NULL, &off);
  if (!m) return NULL;
  uint64_t v = *(volatile uint64_t *)(m->base + off); // one 64-bit load (not two dwords)
  napi_value r; CHECK(napi_create_bigint_uint64(env, v, &r)); return r;
}

static napi_value js_write64(napi_env env, napi_callback_info info) {
  size_t off; napi_value val; uint64_t v; bool lossless;
  mapping *m = access_args(env, info, 8, &val, &off);
  if (!m) return NULL;
  if (napi_get_value_bigint_uint64(env, val, &v, &lossless) != napi_ok || !lossless) {
    napi_throw_type_error(env, "ERR_SYSFS_ARG", "write64 value must be a BigInt in 0..2^64-1");
    return NULL;
  }
  *(volatile uint64_t *)(m->base + off) = v; // one 64-bit store
  return NULL;
}

static napi_value js_size(napi_env env, napi_callback_info info) {
  size_t argc = 1; napi_value argv[1]; void *data; napi_value r;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 1 || napi_get_value_external(env, argv[0], &data) != napi_ok) { napi_throw_type_error(env, "ERR_SYSFS_ARG", "expected a handle"); return NULL; }
  CHECK(napi_create_double(env, ((mapping *)data)->base ? (double)((mapping *)data)->size : 0, &r));
  return r;
}

// close(handle): munmap now (idempotent); the finalizer only frees the struct afterwards.
static napi_value js_close(napi_env env, napi_callback_info info) {
  size_t argc = 1; napi_value argv[1]; void *data;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 1 || napi_get_value_external(env, argv[0], &data) != napi_ok) { napi_throw_type_error(env, "ERR_SYSFS_ARG", "expected a handle"); return NULL; }
  mapping *m = data;
  if (m->base) { munmap((void *)m->base, m->size); m->base = NULL; }
  return NULL;
}

static napi_value init(napi_env env, napi_value exports) {
  static const struct { const char *name; napi_callback fn; } fns[] = {
    {"open", js_open}, {"close", js_close}, {"size", js_size},
    {"read8", js_read8}, {"read16", js_read16}, {"read32", js_read32}, {"read64", js_read64},
    {"write8", js_write8}, {"write16", js_write16}, {"write32", js_write32}, {"write64", js_write64},
  };
  for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++) {
    napi_value f;
    CHECK(napi_create_function(env, fns[i].name, NAPI_AUTO_LENGTH, fns[i].fn, NULL, &f));
    CHECK(napi_set_named_property(env, exports, fns[i].name, f));
  }
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
