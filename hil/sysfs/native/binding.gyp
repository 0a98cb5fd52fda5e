# node-gyp build file for the sysfs BAR mmap addon (hil/sysfs/README.md). Kept out of the repository root on
# purpose: a root binding.gyp makes `npm install` run node-gyp itself, with no way to survive a failed build.
# Built by scripts/postinstall.mjs and `npm run build:native`; output build/Release/sysfs_mmap.node.
{
  "targets": [
    {
      "target_name": "sysfs_mmap",
      "sources": ["sysfs_mmap.c"],
      "defines": ["NAPI_VERSION=8"],
      "cflags": ["-O2", "-Wall", "-Wextra", "-Wno-unused-parameter"],
      "conditions": [["OS=='win'", {"type": "none"}]]
    }
  ]
}
