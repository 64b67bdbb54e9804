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
        "native/src/kernels/relu.cc"
      ],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_VERSION=8", "NODE_ADDON_API_DISABLE_DEPRECATED"],
      "cflags_cc": ["-std=c++17", "-fvisibility=hidden", "-ffp-contract=off", "-Wno-psabi"],
      "cflags_cc!": ["-fno-exceptions"],
      "cflags!": ["-fno-exceptions"],
      "conditions": [
        ["OS=='mac'", {
          "defines": ["BLASPROP_ACCELERATE=1", "ACCELERATE_NEW_LAPACK"],
          "libraries": ["-framework Accelerate"],
          "xcode_settings": {
            "GCC_ENABLE_CPP_EXCEPTIONS": "YES",
            "CLANG_CXX_LANGUAGE_STANDARD": "c++17",
            "OTHER_CPLUSPLUSFLAGS": ["-ffp-contract=off"],
            "GCC_SYMBOLS_PRIVATE_EXTERN": "YES",
            "MACOSX_DEPLOYMENT_TARGET": "13.3",
            "OTHER_LDFLAGS": [
              "-Wl,-exported_symbol,_napi_register_module_v1",
              "-Wl,-exported_symbol,_node_api_module_get_api_version_v1"
            ]
          }
        }, {
          "sources": ["<!@(node native/build-config/openblas.cjs sources <(target_arch))"],
          "include_dirs": ["<!@(node native/build-config/openblas.cjs include_dirs <(target_arch))"],
          "defines": ["<!(node native/build-config/openblas.cjs defines <(target_arch))"],
          "libraries": ["<!@(node native/build-config/openblas.cjs libs <(target_arch))"]
        }],
        ["OS=='linux'", {
          "ldflags": ["-Wl,--version-script=<(module_root_dir)/native/build-config/exports.map"]
        }],
        ["OS=='win'", {
          "msvs_settings": {
            "VCCLCompilerTool": { "ExceptionHandling": 1, "AdditionalOptions": ["/std:c++17"] }
          }
        }]
      ]
    }
  ]
}
