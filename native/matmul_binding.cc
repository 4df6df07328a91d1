// matMul(a, aShape, b, bShape, out, outShape, transposeA, transposeB): batched float32 matmul
// with broadcast batch dims, computed in place into `out`.
#include <algorithm>
#include <string>

#include "bindings.h"
#include "gemm.h"
#include "napi_args.h"
#include "thread_pool.h"

namespace nabla {
namespace {

constexpr const char* kOp = "matMul";

struct MatMulDims {
  size_t m, n, k;
  Shape batch;                  // out's batch dims
  size_t aMatrices;             // matrices a holds (fewer than the output's when broadcast)
  std::vector<size_t> aStride;  // per out batch dim, in matrices; 0 where a is broadcast
  std::vector<size_t> bStride;
};

// Strides (in matrices) of `inBatch` aligned right to `outBatch`; throws unless it broadcasts.
std::vector<size_t> batchStrides(Napi::Env env, const Shape& inBatch, const Shape& outBatch, const char* name) {
  if (inBatch.size() > outBatch.size()) {
    throwTypedError(env, "ShapeError", std::string(kOp) + ": " + name + " has more batch dims than the output.");
  }
  std::vector<size_t> strides(outBatch.size(), 0);
  size_t stride = 1;
  for (size_t i = inBatch.size(); i-- > 0;) {
    const size_t o = i + outBatch.size() - inBatch.size();
    if (inBatch[i] != outBatch[o] && inBatch[i] != 1) {
      throwTypedError(env, "ShapeError", std::string(kOp) + ": batch dims " + shapeString(inBatch) + " of " + name +
                                             " do not broadcast to the output's " + shapeString(outBatch) + ".");
    }
    strides[o] = inBatch[i] == 1 ? 0 : stride;
    stride *= inBatch[i];
  }
  return strides;
}

MatMulDims checkDims(Napi::Env env, const Shape& a, const Shape& b, const Shape& out, bool transA, bool transB) {
  if (a.size() < 2 || b.size() < 2 || out.size() < 2) {
    throwTypedError(env, "ShapeError", std::string(kOp) + ": a, b and out must have rank >= 2, got " + shapeString(a) +
                                           ", " + shapeString(b) + " and " + shapeString(out) + ".");
  }
  const size_t ra = a.size(), rb = b.size(), ro = out.size();
  MatMulDims d;
  d.m = transA ? a[ra - 1] : a[ra - 2];
  d.k = transA ? a[ra - 2] : a[ra - 1];
  const size_t kb = transB ? b[rb - 1] : b[rb - 2];
  d.n = transB ? b[rb - 2] : b[rb - 1];
  if (kb != d.k) {
    throwTypedError(env, "ShapeError", std::string(kOp) + ": inner dims differ: a " + shapeString(a) + " gives " +
                                           std::to_string(d.k) + ", b " + shapeString(b) + " gives " +
                                           std::to_string(kb) + " (check transposeA/transposeB).");
  }
  if (out[ro - 2] != d.m || out[ro - 1] != d.n) {
    throwTypedError(env, "ShapeError", std::string(kOp) + ": out has shape " + shapeString(out) + " but the product is " +
                                           std::to_string(d.m) + " x " + std::to_string(d.n) + ".");
  }
  d.batch.assign(out.begin(), out.end() - 2);
  d.aStride = batchStrides(env, Shape(a.begin(), a.end() - 2), d.batch, "a");
  d.aMatrices = shapeSize(Shape(a.begin(), a.end() - 2));
  d.bStride = batchStrides(env, Shape(b.begin(), b.end() - 2), d.batch, "b");
  return d;
}

// Matrix offsets of a and b for every output matrix, in order.
void batchOffsets(const MatMulDims& d, std::vector<size_t>& aOff, std::vector<size_t>& bOff) {
  const size_t batch = shapeSize(d.batch), rank = d.batch.size();
  aOff.resize(batch);
  bOff.resize(batch);
  std::vector<size_t> idx(rank, 0);
  size_t ia = 0, ib = 0;
  for (size_t t = 0; t < batch; ++t) {
    aOff[t] = ia;
    bOff[t] = ib;
    for (size_t r = rank; r-- > 0;) {
      ++idx[r];
      ia += d.aStride[r];
      ib += d.bStride[r];
      if (idx[r] < d.batch[r]) break;
      ia -= d.aStride[r] * d.batch[r];
      ib -= d.bStride[r] * d.batch[r];
      idx[r] = 0;
    }
  }
}

void run(const MatMulDims& d, bool transA, bool transB, const float* a, const float* b, float* out) {
  const size_t batch = shapeSize(d.batch);
  const size_t aSize = d.m * d.k, bSize = d.k * d.n, cSize = d.m * d.n;
  GemmShape shape{d.m, d.n, d.k, transA, transB, transA ? d.m : d.k, transB ? d.k : d.n, d.n};
  if (batch == 1) {
    sgemm(shape, a, b, out, threadCount());
    return;
  }
  const bool bShared = std::all_of(d.bStride.begin(), d.bStride.end(), [](size_t s) { return s == 0; });
  if (bShared && d.aMatrices == batch && !transA) {
    // Every output matrix multiplies the same B by consecutive A rows: one tall product.
    shape.m = d.m * batch;
    sgemm(shape, a, b, out, threadCount());
    return;
  }
  std::vector<size_t> aOff, bOff;
  batchOffsets(d, aOff, bOff);
  const double flopsEach = 2.0 * static_cast<double>(d.m) * static_cast<double>(d.n) * static_cast<double>(d.k);
  const size_t threads = threadCount();
  if (threads > 1 && (batch >= 4 * threads || flopsEach < 4 * kGemmParallelFlops) &&
      flopsEach * static_cast<double>(batch) >= kGemmParallelFlops) {
    parallelFor(batch, [&](size_t t) { sgemm(shape, a + aOff[t] * aSize, b + bOff[t] * bSize, out + t * cSize, 1); });
    return;
  }
  for (size_t t = 0; t < batch; ++t) sgemm(shape, a + aOff[t] * aSize, b + bOff[t] * bSize, out + t * cSize, threads);
}

Napi::Value MatMul(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  requireArgCount(info, 8, kOp);
  const auto a = float32Arg(info, 0, kOp, "a");
  const Shape aShape = shapeArg(info, 1, kOp, "aShape");
  const auto b = float32Arg(info, 2, kOp, "b");
  const Shape bShape = shapeArg(info, 3, kOp, "bShape");
  const auto out = float32Arg(info, 4, kOp, "out");
  const Shape outShape = shapeArg(info, 5, kOp, "outShape");
  const bool transA = boolArg(info, 6, kOp, "transposeA");
  const bool transB = boolArg(info, 7, kOp, "transposeB");
  requireLength(env, a, aShape, kOp, "a");
  requireLength(env, b, bShape, kOp, "b");
  requireLength(env, out, outShape, kOp, "out");
  const MatMulDims d = checkDims(env, aShape, bShape, outShape, transA, transB);
  requireDisjoint(env, out, a, kOp, "a");
  requireDisjoint(env, out, b, kOp, "b");
  if (out.length > 0) run(d, transA, transB, a.data, b.data, out.data);
  return env.Undefined();
}

}  // namespace

void registerMatMul(Napi::Env env, Napi::Object exports) { exports.Set("matMul", Napi::Function::New(env, MatMul, "matMul")); }

}  // namespace nabla
