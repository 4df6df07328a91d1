// A growable, 64-byte aligned scratch buffer of floats (packing panels, temporaries).
#pragma once

#include <cstddef>
#include <cstdlib>
#include <new>
#ifdef _WIN32
#include <malloc.h>
#endif

namespace nabla {

class AlignedBuffer {
 public:
  AlignedBuffer() = default;
  AlignedBuffer(const AlignedBuffer&) = delete;
  AlignedBuffer& operator=(const AlignedBuffer&) = delete;
  ~AlignedBuffer() { release(); }

  // Returns storage for at least `count` floats; contents are unspecified after growth.
  float* reserve(size_t count) {
    if (count > capacity_) {
      release();
      size_t bytes = (count * sizeof(float) + 63) / 64 * 64;
#ifdef _WIN32
      data_ = static_cast<float*>(_aligned_malloc(bytes, 64));
#else
      data_ = static_cast<float*>(std::aligned_alloc(64, bytes));
#endif
      if (data_ == nullptr) throw std::bad_alloc();
      capacity_ = bytes / sizeof(float);
    }
    return data_;
  }

 private:
  void release() {
#ifdef _WIN32
    _aligned_free(data_);
#else
    std::free(data_);
#endif
    data_ = nullptr;
    capacity_ = 0;
  }

  float* data_ = nullptr;
  size_t capacity_ = 0;
};

}  // namespace nabla
