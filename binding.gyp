{
  "targets": [
    {
      "target_name": "nabla_native",
      "sources": [
        "native/addon.cc",
        "native/batch_norm.cc",
        "native/bias_activation.cc",
        "native/binary.cc",
        "native/broadcast.cc",
        "native/elementwise_binding.cc",
        "native/fused_binding.cc",
        "native/fused_elementwise.cc",
        "native/reduce.cc",
        "native/reduce_binding.cc",
        "native/softmax.cc",
        "native/unary.cc",
        "native/conv.cc",
        "native/conv_stride1.cc",
        "native/conv_winograd.cc",
        "native/conv_binding.cc",
        "native/cpu_features.cc",
        "native/depthwise.cc",
        "native/gru.cc",
        "native/gemm.cc",
        "native/gemm_microkernel_avx2.cc",
        "native/gemm_microkernel_generic.cc",
        "native/gemm_pack.cc",
        "native/info_binding.cc",
        "native/lstm.cc",
        "native/recurrent_binding.cc",
        "native/matmul_binding.cc",
        "native/napi_args.cc",
        "native/optimizer.cc",
        "native/pool.cc",
        "native/random.cc",
        "native/thread_pool.cc"
      ],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": [
        "NAPI_VERSION=8",
        "NODE_ADDON_API_CPP_EXCEPTIONS",
        "NODE_ADDON_API_CPP_EXCEPTIONS_ALL",
        "NODE_ADDON_API_DISABLE_DEPRECATED"
      ],
      "cflags!": ["-fno-exceptions", "-O2", "-O0"],
      "cflags_cc!": ["-fno-exceptions", "-fno-rtti", "-std=gnu++17", "-std=gnu++20", "-O2", "-O0"],
      "cflags": ["-O3", "-fno-math-errno"],
      "cflags_cc": ["-std=c++17", "-O3", "-fexceptions", "-fno-math-errno"],
      "conditions": [
        ["OS=='mac'", {
          "xcode_settings": {
            "GCC_ENABLE_CPP_EXCEPTIONS": "YES",
            "CLANG_CXX_LANGUAGE_STANDARD": "c++17",
            "GCC_OPTIMIZATION_LEVEL": "3",
            "OTHER_CPLUSPLUSFLAGS": ["-fno-math-errno"]
          }
        }],
        ["OS=='win'", {
          "defines": ["_HAS_EXCEPTIONS=1"],
          "msvs_settings": {
            "VCCLCompilerTool": { "ExceptionHandling": 1, "AdditionalOptions": ["/std:c++17", "/O2"] }
          }
        }],
        ["OS=='linux'", { "libraries": ["-lpthread"] }]
      ]
    }
  ]
}
