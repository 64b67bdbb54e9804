#!/usr/bin/env bash
# Shared by the sanitizer and valgrind scripts: builds the addon from a copy of
# binding.gyp and native/ into a separate folder, so that build/Release (which
# everything else loads) is never touched.
#
#   CXXFLAGS=... LDFLAGS=... build_native_copy <folder>
#
# Compiler and linker flags come from the environment (CFLAGS, CXXFLAGS, LDFLAGS),
# which node-gyp's Makefiles add to their own. Prints the path of the .node file.

build_native_copy() {
  local folder="$1" root
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
  if [[ -z "$folder" || "$folder" == "/" || "$folder" == "$root" ]]; then
    echo "refusing to build into '$folder'" >&2
    return 1
  fi
  rm -rf "$folder"
  mkdir -p "$folder"
  cp "$root/binding.gyp" "$folder/"
  cp -R "$root/native" "$folder/"
  # node-gyp reads the Node headers' location from npm's configuration, which npm
  # passes to scripts as npm_config_nodedir; look it up when run outside npm.
  local nodedir="${npm_config_nodedir:-}"
  if [[ -z "$nodedir" ]]; then
    nodedir="$(cd "$root" && npm config get nodedir 2>/dev/null || true)"
    [[ "$nodedir" == "undefined" || "$nodedir" == "null" ]] && nodedir=""
  fi
  (
    cd "$folder"
    # binding.gyp resolves node-addon-api with require(); from a folder outside the
    # package that needs the package's node_modules on NODE_PATH.
    NODE_PATH="$root/node_modules" npm_config_nodedir="$nodedir" \
      "$root/node_modules/.bin/node-gyp" configure build --jobs 2 >"$folder/build.log" 2>&1
  ) || {
    tail -n 40 "$folder/build.log" >&2
    echo "native build in $folder failed (full log: $folder/build.log)" >&2
    return 1
  }
  echo "$folder/build/Release/blasprop.node"
}
