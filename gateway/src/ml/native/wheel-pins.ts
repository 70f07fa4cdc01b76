import type { NativeVariant } from './native-location';

/** One wheel from PyPI, pinned by version, file name and SHA-256 (what `pip download` must produce). */
export interface WheelPin {
  /** The PyPI project. */
  project: string;
  version: string;
  file: string;
  sha256: string;
}

/**
 * The libtensorflow source of each variant: TensorFlow 2.21.0 for CPython 3.11 on manylinux x86-64.
 * The Python version only names the wheel; the shared libraries inside do not depend on it. The
 * `tensorflow` wheel is the CUDA-enabled Linux build. Hashes as published on PyPI for these files.
 */
export const TENSORFLOW_WHEELS: Readonly<Record<NativeVariant, WheelPin>> = {
  cpu: {
    project: 'tensorflow-cpu',
    version: '2.21.0',
    file: 'tensorflow_cpu-2.21.0-cp311-cp311-manylinux_2_27_x86_64.whl',
    sha256: '2b847d217b02ee7731ed91431daf3250daa0196c3c94614d23be27232e6e5b6c',
  },
  gpu: {
    project: 'tensorflow',
    version: '2.21.0',
    file: 'tensorflow-2.21.0-cp311-cp311-manylinux_2_27_x86_64.whl',
    sha256: '9056fbc9ba04235810b71ae6cbd958a196e8804fb53bbcffbf3e23b56155f124',
  },
};

/**
 * CUDA 12 and cuDNN 9 runtime libraries for the GPU variant: the versions pip resolves for
 * `tensorflow[and-cuda]==2.21.0` (compilers such as nvcc left out: the runtime does not need them).
 */
export const CUDA_WHEELS: readonly WheelPin[] = [
  {
    project: 'nvidia-cublas-cu12',
    version: '12.9.3.13',
    file: 'nvidia_cublas_cu12-12.9.3.13-py3-none-manylinux_2_27_x86_64.whl',
    sha256: 'd7d51055f161b317c7105ddaae90e71eda059026074ffef93cf7cde2886bfe72',
  },
  {
    project: 'nvidia-cuda-cupti-cu12',
    version: '12.8.90',
    file: 'nvidia_cuda_cupti_cu12-12.8.90-py3-none-manylinux2014_x86_64.manylinux_2_17_x86_64.whl',
    sha256: 'ea0cb07ebda26bb9b29ba82cda34849e73c166c18162d3913575b0c9db9a6182',
  },
  {
    project: 'nvidia-cuda-nvrtc-cu12',
    version: '12.9.86',
    file: 'nvidia_cuda_nvrtc_cu12-12.9.86-py3-none-manylinux2010_x86_64.manylinux_2_12_x86_64.whl',
    sha256: '210cf05005a447e29214e9ce50851e83fc5f4358df8b453155d5e1918094dcb4',
  },
  {
    project: 'nvidia-cuda-runtime-cu12',
    version: '12.9.79',
    file: 'nvidia_cuda_runtime_cu12-12.9.79-py3-none-manylinux2014_x86_64.manylinux_2_17_x86_64.whl',
    sha256: '25bba2dfb01d48a9b59ca474a1ac43c6ebf7011f1b0b8cc44f54eb6ac48a96c3',
  },
  {
    project: 'nvidia-cudnn-cu12',
    version: '9.28.0.42',
    file: 'nvidia_cudnn_cu12-9.28.0.42-py3-none-manylinux_2_27_x86_64.whl',
    sha256: '9ff58b7f36dacd0a93e89f8f2957b52466889217963701daa15e577317cfa375',
  },
  {
    project: 'nvidia-cufft-cu12',
    version: '11.4.1.4',
    file: 'nvidia_cufft_cu12-11.4.1.4-py3-none-manylinux2014_x86_64.manylinux_2_17_x86_64.whl',
    sha256: 'c67884f2a7d276b4b80eb56a79322a95df592ae5e765cf1243693365ccab4e28',
  },
  {
    project: 'nvidia-curand-cu12',
    version: '10.3.10.19',
    file: 'nvidia_curand_cu12-10.3.10.19-py3-none-manylinux_2_27_x86_64.whl',
    sha256: '49b274db4780d421bd2ccd362e1415c13887c53c214f0d4b761752b8f9f6aa1e',
  },
  {
    project: 'nvidia-cusolver-cu12',
    version: '11.7.5.82',
    file: 'nvidia_cusolver_cu12-11.7.5.82-py3-none-manylinux_2_27_x86_64.whl',
    sha256: '15da72d1340d29b5b3cf3fd100e3cd53421dde36002eda6ed93811af63c40d88',
  },
  {
    project: 'nvidia-cusparse-cu12',
    version: '12.5.10.65',
    file: 'nvidia_cusparse_cu12-12.5.10.65-py3-none-manylinux2014_x86_64.manylinux_2_17_x86_64.whl',
    sha256: '73060ce019ac064a057267c585bf1fd5a353734151f87472ff02b2c5c9984e78',
  },
  {
    project: 'nvidia-nccl-cu12',
    version: '2.32.3',
    file: 'nvidia_nccl_cu12-2.32.3-py3-none-manylinux_2_27_x86_64.whl',
    sha256: 'bb94b2348e4861d5e8aa00b36c3d12d9bdf9c6369b82cbb723de0b582280a21c',
  },
  {
    project: 'nvidia-nvjitlink-cu12',
    version: '12.9.86',
    file: 'nvidia_nvjitlink_cu12-12.9.86-py3-none-manylinux2010_x86_64.manylinux_2_12_x86_64.whl',
    sha256: 'e3f1171dbdc83c5932a45f0f4c99180a70de9bd2718c1ab77d14104f6d7147f9',
  },
];

/** The `pip download` arguments that fetch exactly this wheel, without dependencies, into `dir`. */
export function pipDownloadArgs(pin: WheelPin, dir: string): string[] {
  return [
    'download',
    '--no-deps',
    '--only-binary=:all:',
    '--python-version',
    '311',
    '--platform',
    'manylinux_2_27_x86_64',
    '--platform',
    'manylinux_2_17_x86_64',
    '--platform',
    'manylinux2014_x86_64',
    '--platform',
    'manylinux_2_12_x86_64',
    '--platform',
    'manylinux2010_x86_64',
    '--dest',
    dir,
    `${pin.project}==${pin.version}`,
  ];
}
