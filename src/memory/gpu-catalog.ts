/**
 * GPUs and the nodes that hold them: memory, peak tensor throughput, link bandwidth.
 *
 * Memory capacity, one convention everywhere (library, CLI, notebooks, tests): the
 * vendor's product figure in GB, read as SI, is THE capacity. "A100 80GB" means
 * 80 GB = 80·10^9 bytes, and every fit verdict and "how many GPUs" divides by that.
 * Beside it we keep what the driver reports, because that is the number a student sees:
 *
 *   card        capacity (product figure)    nvidia-smi "Total"             = bytes
 *   A100 80GB   80 GB  = 80.0·10^9 B         81920 MiB = 80 GiB             = 85.9·10^9
 *   A100 40GB   40 GB  = 40.0·10^9 B         40960 MiB = 40 GiB             = 42.9·10^9
 *   A40         48 GB  = 48.0·10^9 B         46068 MiB = 45.0 GiB, ECC on   = 48.3·10^9
 *
 * The HBM and GDDR chips come in power-of-two densities, so an A100 "80GB" holds
 * 80 GiB and nvidia-smi prints 81920 MiB; the product figure is the smaller, rounder
 * number and leaves a little more headroom. The A40's ECC reserves part of its 48 GiB
 * of GDDR6, so with ECC on the driver shows 46068 MiB; "48 GB" is the datasheet's
 * figure. Product figures: NVIDIA's datasheets (A100 Tensor Core GPU
 * datasheet, 2021: "40GB HBM2 / 80GB HBM2e"; A40 datasheet, 2020: "48 GB GDDR6 with
 * error-correcting code"); NCSA's Delta user guide lists the same A100 40 GB and A40 48 GB.
 * The driver figures are `nvidia-smi` totals on those cards. Neither is what a job can
 * use: `fit.ts` subtracts an explicit headroom (CUDA context, fragmentation).
 *
 * Peak throughput is the dense 16-bit tensor-core figure from the vendor's datasheet
 * (no structured sparsity). Link bandwidths are per direction (the datasheets quote
 * NVLink as the sum of both directions: A100's "600 GB/s" is 300 GB/s each way).
 */
import { BYTES_PER_GB } from "../foundation/units";

export interface GpuSpec {
  /** Catalog key: "a100-80gb". */
  readonly name: string;
  readonly displayName: string;
  /** Memory capacity in bytes: the product figure in GB, 10^9 bytes each (see above). */
  readonly memoryBytes: number;
  /** Total memory `nvidia-smi` reports, in bytes (its MiB × 2^20), where recorded; informative only. */
  readonly driverReportedBytes?: number;
  /** Peak dense fp16/bf16 tensor throughput (FLOP/s). */
  readonly peakFlops: number;
  /** Per-direction bandwidth to the other GPUs of the node (bytes/s). */
  readonly intraNodeBandwidth: number;
  readonly source: string;
}

const GB = BYTES_PER_GB;
const MiB = 2 ** 20;
const TFLOPS = 1e12;
const GBps = 1e9; // bandwidths are SI: 1 GB/s = 10^9 bytes/s

export const GPU_CATALOG: readonly GpuSpec[] = [
  {
    name: "v100-16gb",
    displayName: "V100 16GB",
    memoryBytes: 16 * GB,
    peakFlops: 125 * TFLOPS,
    intraNodeBandwidth: 150 * GBps, // NVLink 2: 300 GB/s total
    source: "NVIDIA V100 datasheet (SXM2): 125 TFLOPS tensor, NVLink 300 GB/s",
  },
  {
    name: "v100-32gb",
    displayName: "V100 32GB",
    memoryBytes: 32 * GB,
    peakFlops: 125 * TFLOPS,
    intraNodeBandwidth: 150 * GBps,
    source: "NVIDIA V100 datasheet (SXM2): 125 TFLOPS tensor, NVLink 300 GB/s",
  },
  {
    name: "a100-40gb",
    displayName: "A100 40GB",
    memoryBytes: 40 * GB,
    driverReportedBytes: 40960 * MiB,
    peakFlops: 312 * TFLOPS,
    intraNodeBandwidth: 300 * GBps, // NVLink 3: 600 GB/s total
    source: "NVIDIA A100 datasheet (SXM4): 40 GB HBM2, 312 TFLOPS BF16 dense, NVLink 600 GB/s; nvidia-smi: 40960 MiB",
  },
  {
    name: "a100-80gb",
    displayName: "A100 80GB",
    memoryBytes: 80 * GB,
    driverReportedBytes: 81920 * MiB,
    peakFlops: 312 * TFLOPS,
    intraNodeBandwidth: 300 * GBps,
    source: "NVIDIA A100 datasheet (SXM4): 80 GB HBM2e, 312 TFLOPS BF16 dense, NVLink 600 GB/s; nvidia-smi: 81920 MiB",
  },
  {
    name: "a40",
    displayName: "A40 48GB",
    memoryBytes: 48 * GB,
    driverReportedBytes: 46068 * MiB, // ECC on
    peakFlops: 149.7 * TFLOPS,
    intraNodeBandwidth: 32 * GBps, // PCIe Gen4 x16 (Delta's A40 nodes have no NVLink bridge)
    source: "NVIDIA A40 datasheet: 48 GB GDDR6 with ECC, 149.7 TFLOPS BF16 dense, PCIe Gen4 64 GB/s; nvidia-smi with ECC on: 46068 MiB",
  },
  {
    name: "h100-80gb",
    displayName: "H100 80GB",
    memoryBytes: 80 * GB,
    peakFlops: 989 * TFLOPS,
    intraNodeBandwidth: 450 * GBps, // NVLink 4: 900 GB/s total
    source: "NVIDIA H100 datasheet (SXM5): 989 TFLOPS BF16 dense, NVLink 900 GB/s",
  },
  {
    name: "mi100",
    displayName: "MI100 32GB",
    memoryBytes: 32 * GB,
    peakFlops: 184.6 * TFLOPS,
    intraNodeBandwidth: 138 * GBps, // Infinity Fabric: 3 links, 276 GB/s total
    source: "AMD Instinct MI100 datasheet: 32 GB HBM2, 184.6 TFLOPS FP16 matrix, Infinity Fabric 276 GB/s",
  },
];

/** A node: how many GPUs share the fast links, and the network between nodes. */
export interface NodeSpec {
  readonly name: string;
  readonly displayName: string;
  readonly gpu: GpuSpec;
  readonly gpusPerNode: number;
  /** Per-direction network bandwidth of the whole node to other nodes, all NICs together (bytes/s). */
  readonly interNodeBandwidth: number;
  /** CPU memory (RAM) of the node in bytes, where recorded: what offloaded states may use. */
  readonly hostMemoryBytes?: number;
  /** Per-direction GPU ↔ CPU bandwidth of one GPU (bytes/s). @default DEFAULT_HOST_LINK_BANDWIDTH */
  readonly hostLinkBandwidth?: number;
  readonly source: string;
}

/** PCIe Gen4 x16, per direction: 32 GB/s (A100 and A40 datasheets: "PCIe Gen4 64 GB/s", both directions). */
export const DEFAULT_HOST_LINK_BANDWIDTH = 32 * GBps;

/**
 * Delta (NCSA) node types, the course's cluster (COURSE.md "Where students work"), and
 * a DGX A100-style node as used by Narayanan et al. 2021 (§5: 8 GPUs, 8 × 200 Gb/s HDR InfiniBand).
 */
export const NODE_CATALOG: readonly NodeSpec[] = [
  { ...node("delta-a100x4", "Delta 4×A100 40GB", "a100-40gb", 4, 25 * GBps, "NCSA Delta user guide: 4-way A100 nodes (A100 40 GB SXM, NVLink), 256 GB RAM, HPE Slingshot 200 Gb/s"), hostMemoryBytes: 256 * GB },
  { ...node("delta-a40x4", "Delta 4×A40", "a40", 4, 25 * GBps, "NCSA Delta user guide: 4-way A40 nodes (48 GB, PCIe), 256 GB RAM, HPE Slingshot 200 Gb/s"), hostMemoryBytes: 256 * GB },
  node("delta-a100x8", "Delta 8×A100 40GB", "a100-40gb", 8, 25 * GBps, "NCSA Delta user guide: 8-way A100 nodes with NVLink, HPE Slingshot 200 Gb/s"),
  node("delta-mi100x8", "Delta 8×MI100", "mi100", 8, 25 * GBps, "NCSA Delta user guide: one 8-way MI100 node, HPE Slingshot 200 Gb/s"),
  node("dgx-a100-80gb", "DGX A100 80GB", "a100-80gb", 8, 8 * 25 * GBps, "Narayanan et al. 2021, §5: 8 A100 per node, 8 × 200 Gb/s HDR InfiniBand"),
  node("dgx-h100", "DGX H100", "h100-80gb", 8, 8 * 50 * GBps, "NVIDIA DGX H100: 8 × 400 Gb/s ConnectX-7"),
];

function node(name: string, displayName: string, gpuName: string, gpusPerNode: number, interNodeBandwidth: number, source: string): NodeSpec {
  return { name, displayName, gpu: findGpu(gpuName), gpusPerNode, interNodeBandwidth, source };
}

/** Find a GPU by catalog key or display name (case-insensitive). */
export function findGpu(name: string, catalog: readonly GpuSpec[] = GPU_CATALOG): GpuSpec {
  const key = name.trim().toLowerCase();
  const gpu = catalog.find((g) => g.name === key || g.displayName.toLowerCase() === key);
  if (gpu === undefined) {
    throw new Error(`Unknown GPU "${name}". Known GPUs: ${catalog.map((g) => g.name).join(", ")}.`);
  }
  return gpu;
}

/**
 * A node type by name ("delta-a100x4"), or, given a GPU name, a generic 8-GPU node of that GPU
 * with one 200 Gb/s NIC per GPU between nodes (the DGX A100 network: 8 × 25 GB/s).
 */
export function findNode(name: string): NodeSpec {
  const key = name.trim().toLowerCase();
  const known = NODE_CATALOG.find((n) => n.name === key);
  if (known !== undefined) return known;
  try {
    const gpu = findGpu(key);
    return { name: `8x${gpu.name}`, displayName: `8×${gpu.displayName}`, gpu, gpusPerNode: 8, interNodeBandwidth: 8 * 25 * GBps, source: "generic 8-GPU node (DGX A100 network)" };
  } catch {
    throw new Error(
      `Unknown GPU or node "${name}". GPUs: ${GPU_CATALOG.map((g) => g.name).join(", ")}; nodes: ${NODE_CATALOG.map((n) => n.name).join(", ")}.`,
    );
  }
}
