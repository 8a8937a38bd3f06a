// The CUDA backend as the main library sees it: lattices are built on the CPU (shared code with the CPU backend),
// the mean-field iterations run in the dlopen()ed CUDA plugin.
#ifndef SEGCRF_CUDA_BACKEND_H
#define SEGCRF_CUDA_BACKEND_H

#include <string>
#include <vector>

#include "backend.h"
#include "cuda_plugin_api.h"
#include "kernels.h"
#include "logit_grid.h"
#include "warm_inputs.h"
#include "prepared_kernel.h"
#include "thread_pool.h"

namespace segcrf {

class CudaBackend final : public Backend {
 public:
  // Loads the plugin at `plugin_path` and opens device 0; throws NativeFailure naming the cause when it cannot.
  CudaBackend(const std::string& plugin_path, int threads);
  ~CudaBackend() override;
  std::string name() const override;
  void set_params(const CrfParams& params) override { params_ = params; }
  void run(const FrameRequest& request, FrameTimings& timings) override;
  ThreadPool& pool() override { return pool_; }

  // Empty when the plugin loads and sees a device, else why not.
  static std::string probe(const std::string& plugin_path);

 private:
  struct Plugin {
    void* library = nullptr;
    segcrf_cuda_probe_fn probe = nullptr;
    segcrf_cuda_create_fn create = nullptr;
    segcrf_cuda_destroy_fn destroy = nullptr;
    segcrf_cuda_run_fn run = nullptr;
    segcrf_cuda_device_name_fn device_name = nullptr;
  };
  // Opens the plugin or returns the reason it cannot be used.
  static std::string open_plugin(const std::string& path, Plugin& out);

  Plugin plugin_;
  void* context_ = nullptr;
  std::string device_;
  CrfParams params_;
  ThreadPool pool_;
  const KernelTable& kernels_;
  LatticeBuilder builder_;
  PreparedKernel gaussian_;
  PreparedKernel bilateral_;
  WarmInputs warm_inputs_;
  LogitUpsampler upsampler_;   // ScoreKind::kLogitGrid: the grid to the logits the plugin reads
  std::vector<float> logits_;  // those logits, width * height * classes
};

}  // namespace segcrf

#endif
