{
  "targets": [
    {
      "target_name": "blasprop",
      "sources": [
        "native/src/addon.cc",
        "native/src/blas_routines.cc",
        "native/src/blas_runtime.cc",
        "native/src/kernels/activations.cc",
        "native/src/kernels/dropout.cc",
        "native/src/kernels/gradient_norm.cc",
        "native/src/kernels/losses.cc",
        "native/src/kernels/metrics.cc",
        "native/src/kernels/optimizers.cc",
        "native/src/kernels/relu.cc",
        "<!@(node native/build-config/openblas.cjs sources)"
      ],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": [
        "NAPI_VERSION=8",
        "NODE_ADDON_API_DISABLE_DEPRECATED",
        "<!(node native/build-config/openblas.cjs defines)"
      ],
      "cflags_cc": [
        "<!@(node native/build-config/openblas.cjs cflags)",
        "-std=c++17",
        "-fvisibility=hidden",
        "-ffp-contract=off",
        "-Wno-psabi"
      ],
      "cflags_cc!": ["-fno-exceptions"],
      "cflags!": ["-fno-exceptions"],
      "libraries": ["<!@(node native/build-config/openblas.cjs libs)"],
      "conditions": [
        ["OS=='linux'", {
          "ldflags": ["-Wl,--version-script=<(module_root_dir)/native/build-config/exports.map"]
        }]
      ],
      "xcode_settings": {
        "GCC_ENABLE_CPP_EXCEPTIONS": "YES",
        "OTHER_CPLUSPLUSFLAGS": ["<!@(node native/build-config/openblas.cjs cflags)", "-std=c++17", "-ffp-contract=off"]
      }
    }
  ]
}
