// NormFree native shim: one generic entry point that calls any ATen operator through libtorch's dispatcher
// with a boxed argument stack, plus the few things that are not operators (tensor lifetime, data in/out,
// autograd, global settings). Every export catches everything and leaves the message in a thread-local
// string; the managed side turns it into a TorchException. Only dispatcher, at::Tensor and torch::autograd
// APIs are used, which are the same in libtorch 1.13 and 2.x.
#include <ATen/ATen.h>
#include <ATen/Context.h>
#include <ATen/Parallel.h>
#include <ATen/core/dispatch/Dispatcher.h>
#include <ATen/core/stack.h>
#include <ATen/detail/CUDAHooksInterface.h>
#include <ATen/CPUGeneratorImpl.h>
#include <c10/core/GradMode.h>
#include <torch/csrc/autograd/autograd.h>
#include <torch/version.h>

#include <atomic>
#include <cstring>
#include <string>
#include <vector>

#define NF_API extern "C" __attribute__((visibility("default")))

namespace {

thread_local std::string last_error;
std::atomic<int64_t> live_tensors{0};

template <class F, class R>
R guarded(F&& body, R on_error) {
  try {
    return body();
  } catch (const c10::Error& e) {
    last_error = e.what_without_backtrace();
  } catch (const std::exception& e) {
    last_error = e.what();
  } catch (...) {
    last_error = "unknown native exception";
  }
  return on_error;
}

at::Tensor* wrap(at::Tensor t) {
  live_tensors.fetch_add(1, std::memory_order_relaxed);
  return new at::Tensor(std::move(t));
}

at::Tensor& deref(void* h) {
  if (h == nullptr) throw std::invalid_argument("tensor handle is null (disposed?)");
  return *static_cast<at::Tensor*>(h);
}

// Argument kinds; keep in step with NormFree.Torch.ArgKind.
enum ArgKind : int32_t {
  kNone = 0, kTensor = 1, kInt = 2, kDouble = 3, kBool = 4, kIntList = 5, kDoubleList = 6,
  kTensorList = 7, kOptTensorList = 8, kBoolList = 9, kScalarType = 10, kDevice = 11, kString = 12,
  kGenerator = 13, kListHeader = 14
};

struct Arg {
  int32_t kind;
  int32_t aux;      // device index for kDevice
  int64_t i;        // int, bool, dtype, device type, list length
  double d;
  const void* p;    // tensor handle, array, string, generator
};

struct Result {
  int32_t kind;
  int32_t pad;
  int64_t i;
  double d;
  void* p;
};

c10::IValue to_ivalue(const Arg& a) {
  switch (a.kind) {
    case kNone: return c10::IValue();
    case kTensor: return a.p ? c10::IValue(deref(const_cast<void*>(a.p))) : c10::IValue();
    case kInt: return c10::IValue(a.i);
    case kDouble: return c10::IValue(a.d);
    case kBool: return c10::IValue(a.i != 0);
    case kIntList: {
      auto v = static_cast<const int64_t*>(a.p);
      return c10::IValue(c10::List<int64_t>(std::vector<int64_t>(v, v + a.i)));
    }
    case kDoubleList: {
      auto v = static_cast<const double*>(a.p);
      return c10::IValue(c10::List<double>(std::vector<double>(v, v + a.i)));
    }
    case kBoolList: {
      auto v = static_cast<const uint8_t*>(a.p);
      c10::List<bool> l;
      for (int64_t k = 0; k < a.i; ++k) l.push_back(v[k] != 0);
      return c10::IValue(l);
    }
    case kTensorList: {
      auto v = static_cast<void* const*>(a.p);
      c10::List<at::Tensor> l;
      l.reserve(a.i);
      for (int64_t k = 0; k < a.i; ++k) l.push_back(deref(v[k]));
      return c10::IValue(l);
    }
    case kOptTensorList: {
      auto v = static_cast<void* const*>(a.p);
      c10::List<c10::optional<at::Tensor>> l;
      for (int64_t k = 0; k < a.i; ++k)
        l.push_back(v[k] ? c10::optional<at::Tensor>(deref(v[k])) : c10::nullopt);
      return c10::IValue(l);
    }
    case kScalarType: return c10::IValue(a.i);
    case kDevice:
      return c10::IValue(c10::Device(static_cast<c10::DeviceType>(a.i), static_cast<c10::DeviceIndex>(a.aux)));
    case kString: return c10::IValue(std::string(static_cast<const char*>(a.p)));
    case kGenerator: return c10::IValue(*static_cast<const at::Generator*>(a.p));
    default: throw std::invalid_argument("unknown argument kind " + std::to_string(a.kind));
  }
}

int push_result(const c10::IValue& v, Result* out, int at, int max) {
  auto slot = [&](int k) -> Result& {
    if (k >= max) throw std::length_error("operator returned more values than the result buffer holds");
    out[k] = Result{};
    return out[k];
  };
  if (v.isTensor()) {
    auto& r = slot(at);
    const auto& t = v.toTensor();
    r.kind = t.defined() ? kTensor : kNone;
    r.p = t.defined() ? wrap(t) : nullptr;
    return at + 1;
  }
  if (v.isTensorList()) {
    auto list = v.toTensorList();
    auto& h = slot(at);
    h.kind = kListHeader;
    h.i = static_cast<int64_t>(list.size());
    int k = at + 1;
    for (const at::Tensor& t : list) {
      auto& r = slot(k++);
      r.kind = kTensor;
      r.p = wrap(t);
    }
    return k;
  }
  auto& r = slot(at);
  if (v.isNone()) r.kind = kNone;
  else if (v.isInt()) { r.kind = kInt; r.i = v.toInt(); }
  else if (v.isDouble()) { r.kind = kDouble; r.d = v.toDouble(); }
  else if (v.isBool()) { r.kind = kBool; r.i = v.toBool(); }
  else if (v.isScalar()) {
    auto s = v.toScalar();
    if (s.isBoolean()) { r.kind = kBool; r.i = s.toBool(); }
    else if (s.isIntegral(false)) { r.kind = kInt; r.i = s.toLong(); }
    else { r.kind = kDouble; r.d = s.toDouble(); }
  } else throw std::invalid_argument("unsupported return type " + v.tagKind());
  return at + 1;
}

}  // namespace

NF_API const char* nf_last_error() { return last_error.c_str(); }
NF_API int64_t nf_live_tensors() { return live_tensors.load(); }

// ---- operators -------------------------------------------------------------------------------------------

NF_API void* nf_op_find(const char* name, const char* overload) {
  return guarded([&]() -> void* {
    auto op = c10::Dispatcher::singleton().findSchemaOrThrow(name, overload);
    return new c10::OperatorHandle(op);
  }, static_cast<void*>(nullptr));
}

NF_API int nf_op_schema(void* op, char* buffer, int capacity) {
  return guarded([&]() -> int {
    std::string s = c10::toString(static_cast<c10::OperatorHandle*>(op)->schema());
    if (buffer && capacity > 0) {
      auto n = std::min<size_t>(s.size(), capacity - 1);
      std::memcpy(buffer, s.data(), n);
      buffer[n] = 0;
    }
    return static_cast<int>(s.size());
  }, -1);
}

// Calls the operator with `nargs` leading arguments in schema order; the remaining ones take the schema's
// defaults. Writes the returns into `out` (lists as a header followed by their elements) and returns how many
// slots it used, or -1 with nf_last_error set.
NF_API int nf_op_call(void* op_handle, const Arg* args, int nargs, Result* out, int max_out) {
  return guarded([&]() -> int {
    auto& op = *static_cast<c10::OperatorHandle*>(op_handle);
    const auto& schema = op.schema();
    const auto& formals = schema.arguments();
    if (static_cast<size_t>(nargs) > formals.size())
      throw std::invalid_argument("too many arguments: " + std::to_string(nargs) + " given, schema takes " +
                                  std::to_string(formals.size()));
    thread_local torch::jit::Stack stack;
    stack.clear();
    for (int k = 0; k < nargs; ++k) stack.push_back(to_ivalue(args[k]));
    for (size_t k = nargs; k < formals.size(); ++k) {
      const auto& dv = formals[k].default_value();
      if (!dv) throw std::invalid_argument("missing argument '" + formals[k].name() + "'");
      stack.push_back(*dv);
    }
    op.callBoxed(&stack);
    int used = 0;
    for (const auto& v : stack) used = push_result(v, out, used, max_out);
    stack.clear();
    return used;
  }, -1);
}

// ---- tensor lifetime and data ----------------------------------------------------------------------------

NF_API void nf_tensor_free(void* h) {
  if (h == nullptr) return;
  delete static_cast<at::Tensor*>(h);
  live_tensors.fetch_sub(1, std::memory_order_relaxed);
}

NF_API void* nf_tensor_share(void* h) {
  return guarded([&]() -> void* { return wrap(deref(h)); }, static_cast<void*>(nullptr));
}

NF_API void* nf_tensor_from_data(const void* data, int dtype, const int64_t* shape, int ndim, int device_type,
                                 int device_index) {
  return guarded([&]() -> void* {
    auto options = at::TensorOptions().dtype(static_cast<c10::ScalarType>(dtype));
    at::Tensor t = at::empty(c10::IntArrayRef(shape, ndim), options);
    if (t.numel() > 0) std::memcpy(t.data_ptr(), data, t.numel() * t.element_size());
    c10::Device device(static_cast<c10::DeviceType>(device_type), static_cast<c10::DeviceIndex>(device_index));
    if (!device.is_cpu()) t = t.to(device);
    return wrap(t);
  }, static_cast<void*>(nullptr));
}

NF_API int nf_tensor_copy_to(void* h, void* dst, int64_t nbytes) {
  return guarded([&]() -> int {
    at::Tensor t = deref(h).detach().to(at::kCPU).contiguous();
    int64_t have = t.numel() * static_cast<int64_t>(t.element_size());
    if (have != nbytes)
      throw std::invalid_argument("copy out: tensor holds " + std::to_string(have) + " bytes, buffer " +
                                  std::to_string(nbytes));
    if (have > 0) std::memcpy(dst, t.data_ptr(), have);
    return 0;
  }, -1);
}

NF_API int nf_tensor_ndim(void* h) {
  return guarded([&]() -> int { return static_cast<int>(deref(h).dim()); }, -1);
}

NF_API int nf_tensor_shape(void* h, int64_t* out) {
  return guarded([&]() -> int {
    auto sizes = deref(h).sizes();
    for (size_t k = 0; k < sizes.size(); ++k) out[k] = sizes[k];
    return static_cast<int>(sizes.size());
  }, -1);
}

NF_API int nf_tensor_dtype(void* h) {
  return guarded([&]() -> int { return static_cast<int>(deref(h).scalar_type()); }, -1);
}

NF_API int nf_tensor_device(void* h, int* index) {
  return guarded([&]() -> int {
    auto d = deref(h).device();
    *index = d.has_index() ? d.index() : (d.is_cpu() ? -1 : 0);
    return static_cast<int>(d.type());
  }, -1);
}

NF_API int nf_tensor_set_data(void* h, void* source) {
  return guarded([&]() -> int { deref(h).set_data(deref(source)); return 0; }, -1);
}

// ---- autograd --------------------------------------------------------------------------------------------

NF_API int nf_tensor_requires_grad(void* h) {
  return guarded([&]() -> int { return deref(h).requires_grad() ? 1 : 0; }, -1);
}

NF_API int nf_tensor_set_requires_grad(void* h, int value) {
  return guarded([&]() -> int { deref(h).set_requires_grad(value != 0); return 0; }, -1);
}

NF_API int nf_tensor_is_leaf(void* h) {
  return guarded([&]() -> int { return deref(h).is_leaf() ? 1 : 0; }, -1);
}

// Returns 1 and a new handle in *grad when the gradient is defined, 0 when it is not, -1 on error.
NF_API int nf_tensor_grad(void* h, void** grad) {
  return guarded([&]() -> int {
    const auto& g = deref(h).grad();
    *grad = g.defined() ? wrap(g) : nullptr;
    return g.defined() ? 1 : 0;
  }, -1);
}

NF_API int nf_tensor_set_grad(void* h, void* grad) {
  return guarded([&]() -> int {
    deref(h).mutable_grad() = grad ? deref(grad) : at::Tensor();
    return 0;
  }, -1);
}

NF_API int nf_backward(void* h, void* grad, int retain_graph, int create_graph) {
  return guarded([&]() -> int {
    at::Tensor g = grad ? deref(grad) : at::Tensor();
    c10::optional<bool> retain = retain_graph < 0 ? c10::nullopt : c10::optional<bool>(retain_graph != 0);
    deref(h).backward(g, retain, create_graph != 0);
    return 0;
  }, -1);
}

// torch::autograd::grad; unused inputs (allow_unused) come back as null handles.
NF_API int nf_autograd_grad(void** outputs, int n_out, void** inputs, int n_in, void** grad_outputs,
                            int retain_graph, int create_graph, int allow_unused, void** results) {
  return guarded([&]() -> int {
    torch::autograd::variable_list outs, ins, gouts;
    for (int k = 0; k < n_out; ++k) outs.push_back(deref(outputs[k]));
    for (int k = 0; k < n_in; ++k) ins.push_back(deref(inputs[k]));
    if (grad_outputs)
      for (int k = 0; k < n_out; ++k) gouts.push_back(grad_outputs[k] ? deref(grad_outputs[k]) : at::Tensor());
    c10::optional<bool> retain = retain_graph < 0 ? c10::nullopt : c10::optional<bool>(retain_graph != 0);
    auto grads = torch::autograd::grad(outs, ins, gouts, retain, create_graph != 0, allow_unused != 0);
    for (int k = 0; k < n_in; ++k) results[k] = grads[k].defined() ? wrap(grads[k]) : nullptr;
    return 0;
  }, -1);
}

NF_API int nf_grad_enabled() { return c10::GradMode::is_enabled() ? 1 : 0; }
NF_API void nf_set_grad_enabled(int enabled) { c10::GradMode::set_enabled(enabled != 0); }

// ---- random numbers --------------------------------------------------------------------------------------

NF_API int nf_manual_seed(uint64_t seed) {
  return guarded([&]() -> int {
    {
      auto gen = at::detail::getDefaultCPUGenerator();
      std::lock_guard<std::mutex> lock(gen.mutex());
      gen.set_current_seed(seed);
    }
    const auto& cuda = at::detail::getCUDAHooks();
    if (cuda.hasCUDA())
      for (int k = 0; k < cuda.getNumGPUs(); ++k) {
        auto gen = cuda.getDefaultCUDAGenerator(static_cast<c10::DeviceIndex>(k));
        std::lock_guard<std::mutex> lock(gen.mutex());
        gen.set_current_seed(seed);
      }
    return 0;
  }, -1);
}

static at::Generator default_generator(int device_type, int device_index) {
  if (device_type == static_cast<int>(c10::DeviceType::CPU)) return at::detail::getDefaultCPUGenerator();
  return at::detail::getCUDAHooks().getDefaultCUDAGenerator(static_cast<c10::DeviceIndex>(device_index));
}

NF_API void* nf_rng_get_state(int device_type, int device_index) {
  return guarded([&]() -> void* {
    auto gen = default_generator(device_type, device_index);
    std::lock_guard<std::mutex> lock(gen.mutex());
    return wrap(gen.get_state());
  }, static_cast<void*>(nullptr));
}

NF_API int nf_rng_set_state(int device_type, int device_index, void* state) {
  return guarded([&]() -> int {
    auto gen = default_generator(device_type, device_index);
    std::lock_guard<std::mutex> lock(gen.mutex());
    gen.set_state(deref(state));
    return 0;
  }, -1);
}

NF_API void* nf_generator_new(uint64_t seed) {
  return guarded([&]() -> void* { return new at::Generator(at::detail::createCPUGenerator(seed)); },
                 static_cast<void*>(nullptr));
}

NF_API void nf_generator_free(void* g) { delete static_cast<at::Generator*>(g); }

NF_API void* nf_generator_get_state(void* g) {
  return guarded([&]() -> void* {
    auto& gen = *static_cast<at::Generator*>(g);
    std::lock_guard<std::mutex> lock(gen.mutex());
    return wrap(gen.get_state());
  }, static_cast<void*>(nullptr));
}

NF_API int nf_generator_set_state(void* g, void* state) {
  return guarded([&]() -> int {
    auto& gen = *static_cast<at::Generator*>(g);
    std::lock_guard<std::mutex> lock(gen.mutex());
    gen.set_state(deref(state));
    return 0;
  }, -1);
}

// ---- global settings -------------------------------------------------------------------------------------

NF_API void nf_set_num_threads(int n) { at::set_num_threads(n); }
NF_API int nf_get_num_threads() { return at::get_num_threads(); }

NF_API int nf_set_deterministic(int algorithms, int warn_only, int cudnn_deterministic, int cudnn_benchmark) {
  return guarded([&]() -> int {
    auto& ctx = at::globalContext();
    if (algorithms >= 0) ctx.setDeterministicAlgorithms(algorithms != 0, warn_only > 0);
    if (cudnn_deterministic >= 0) ctx.setDeterministicCuDNN(cudnn_deterministic != 0);
    if (cudnn_benchmark >= 0) ctx.setBenchmarkCuDNN(cudnn_benchmark != 0);
    return 0;
  }, -1);
}

NF_API int nf_get_deterministic(int* algorithms, int* cudnn_deterministic, int* cudnn_benchmark) {
  auto& ctx = at::globalContext();
  *algorithms = ctx.deterministicAlgorithms();
  *cudnn_deterministic = ctx.deterministicCuDNN();
  *cudnn_benchmark = ctx.benchmarkCuDNN();
  return 0;
}

NF_API int nf_cuda_device_count() {
  return guarded([&]() -> int {
    const auto& cuda = at::detail::getCUDAHooks();
    return cuda.hasCUDA() ? cuda.getNumGPUs() : 0;
  }, 0);
}

NF_API int nf_torch_version(char* buffer, int capacity) {
  std::string v = std::to_string(TORCH_VERSION_MAJOR) + "." + std::to_string(TORCH_VERSION_MINOR) + "." +
                  std::to_string(TORCH_VERSION_PATCH);
  auto n = std::min<size_t>(v.size(), capacity - 1);
  std::memcpy(buffer, v.data(), n);
  buffer[n] = 0;
  return static_cast<int>(v.size());
}

// ---- CUDA synchronisation --------------------------------------------------------------------------------

// torch.cuda.synchronize through ATen's CUDA hooks (CUDAHooksInterface::deviceSynchronize, in libtorch 1.13 and
// 2.x), so the shim needs no CUDA headers and still builds against a CPU-only libtorch. Returns 1 after waiting for
// the device (-1: the current one), 0 when there is no CUDA to wait for, -1 on error.
NF_API int nf_cuda_synchronize(int device_index) {
  return guarded([&]() -> int {
    const auto& cuda = at::detail::getCUDAHooks();
    if (!cuda.hasCUDA()) return 0;
    auto index = device_index >= 0 ? device_index : static_cast<int>(cuda.current_device());
    if (index >= cuda.getNumGPUs())
      throw std::invalid_argument("cuda:" + std::to_string(index) + " does not exist: " +
                                  std::to_string(cuda.getNumGPUs()) + " CUDA device(s)");
    cuda.deviceSynchronize(static_cast<c10::DeviceIndex>(index));
    return 1;
  }, -1);
}
