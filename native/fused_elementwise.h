// Chains of float32 element-wise ops run as one pass over the data (nb.function's fusion pass).
//
// A program is a short list of instructions over block-sized registers. The kernel walks the
// output in blocks of kFusedBlock elements and runs the whole program on each block, so the
// intermediates stay in L1 instead of making a round trip through memory per op.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "unary_ops.h"

namespace nabla {

constexpr size_t kFusedMaxRegisters = 16;
constexpr size_t kFusedBlock = 256;

// What an instruction does. `a`/`b` name registers, except where they name inputs (noted).
enum class FusedOp : int32_t {
  Load = 0,             // reg[dst] = input a (full-size; aliased, not copied)
  Unary = 1,            // reg[dst] = kind(reg[a])               kind: a UnaryKind
  Binary = 2,           // reg[dst] = kind(reg[a], reg[b])       kind: a float-valued BinaryKind
  BinaryRegScalar = 3,  // reg[dst] = kind(reg[a], input b[0])
  BinaryScalarReg = 4,  // reg[dst] = kind(input a[0], reg[b])
};

struct FusedInstruction {
  int32_t op;    // a FusedOp (checked before use)
  int32_t kind;  // the UnaryKind or BinaryKind value
  int32_t dst, a, b;
  UnaryParams params;  // alpha/beta of unary kinds
};

// Empty when `code` can run over inputs of these lengths into an output of n elements; else
// what is wrong: an unknown op or kind, a register out of range or read before it is written,
// an input index out of range, a load of an input that is not n long, a scalar operand that is
// not 1 long, or a last instruction that does not compute.
std::string fusedProgramError(const FusedInstruction* code, size_t count, size_t registers, const size_t* inputLengths,
                              size_t inputCount, size_t n);

// Runs a checked program: out[i] = the last instruction's value at element i, for i in [0, n).
// `out` may be one of the full-size inputs (each element is read before it is written).
void fusedElementwise(const FusedInstruction* code, size_t count, const float* const* inputs, float* out, size_t n);

}  // namespace nabla
