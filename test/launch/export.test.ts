import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  deepSpeedConfig,
  deltaSlurmScript,
  LaunchPlanError,
  megatronArguments,
  parseMegatronArguments,
  parseSbatchOptions,
  validateLaunchPlan,
  writeExport,
  type LaunchPlan,
} from "../../src/launch";
import { findModel, findNode, planParallelism } from "../../src/memory";
import { main } from "../../src/cli/main";

/** Run `efflab ARGS` in-process and capture its output and exit code. */
async function runCli(argv: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, stdout: out.join("\n"), stderr: err.join("\n") };
}

const gpt3 = findModel("gpt3-175b");
const deltaA100 = findNode("delta-a100x4");
const deltaA40 = findNode("delta-a40x4");
const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), "efflab-export-"));
  dirs.push(dir);
  return dir;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** The planner's fastest layout for GPT-3 on 1,024 Delta A100s (256 gpuA100x4 nodes). */
const gpt3Plan: LaunchPlan = {
  model: gpt3,
  node: deltaA100,
  gpus: 1024,
  layout: planParallelism(gpt3, deltaA100, { gpus: 1024, globalBatch: 1536 }).plans[0]!.layout,
  globalBatch: 1536,
};
/** Llama 2 7B (Touvron et al. 2023) on 8 A40s, ZeRO-2 with the optimizer offloaded. */
const sevenB: LaunchPlan = {
  model: findModel("llama2-7b"),
  node: deltaA40,
  gpus: 8,
  layout: { dataParallel: 8, tensorParallel: 1, pipelineParallel: 1, zeroStage: 2, microBatch: 2, recompute: "full", sequenceParallel: false },
  globalBatch: 64,
  precision: "fp16",
  offloadOptimizer: "cpu",
};

/** The plan Megatron-LM would run, read back from its arguments. */
function planFromMegatron(args: Record<string, string>) {
  const t = Number(args["--tensor-model-parallel-size"]);
  const p = Number(args["--pipeline-model-parallel-size"]);
  const layers = Number(args["--num-layers"]);
  return {
    t,
    p,
    v: args["--num-layers-per-virtual-pipeline-stage"] === undefined ? 1 : layers / (p * Number(args["--num-layers-per-virtual-pipeline-stage"])),
    b: Number(args["--micro-batch-size"]),
    B: Number(args["--global-batch-size"]),
    sequenceParallel: args["--sequence-parallel"] === "true",
    recompute: args["--recompute-granularity"] ?? "none",
    zeroStage: args["--use-distributed-optimizer"] === "true" ? 1 : 0,
    layers,
    hidden: Number(args["--hidden-size"]),
    heads: Number(args["--num-attention-heads"]),
  };
}

describe("exports recover the plan", () => {
  it("GPT-3 on 1,024 Delta A100s: the planner's layout is valid and is d8 t4 p32 ZeRO-1", () => {
    expect(validateLaunchPlan(gpt3Plan).layout).toMatchObject({ dataParallel: 8, tensorParallel: 4, pipelineParallel: 32, zeroStage: 1 });
  });

  it("GPT-3: the DeepSpeed config has train_batch_size = micro × accumulation × DP and nothing undocumented", () => {
    const dir = tempDir();
    writeExport(gpt3Plan, "deepspeed", dir);
    const config = JSON.parse(readFileSync(join(dir, "ds_config.json"), "utf8"));
    expect(config.train_batch_size).toBe(config.train_micro_batch_size_per_gpu * config.gradient_accumulation_steps * gpt3Plan.layout.dataParallel);
    expect(config).toEqual({
      train_batch_size: 1536,
      train_micro_batch_size_per_gpu: 1,
      gradient_accumulation_steps: 192,
      gradient_clipping: 1,
      bf16: { enabled: true },
      zero_optimization: { stage: 1 },
    });
  });

  it("GPT-3: the Megatron-LM arguments give back t, p, b, B, SP, recompute, ZeRO-1 and the shape", () => {
    const dir = tempDir();
    writeExport(gpt3Plan, "megatron", dir);
    const words = readFileSync(join(dir, "megatron-args.txt"), "utf8").split(/\s+/).filter(Boolean);
    const back = planFromMegatron(parseMegatronArguments(words));
    const { layout } = gpt3Plan;
    expect(back).toEqual({
      t: layout.tensorParallel,
      p: layout.pipelineParallel,
      v: 1,
      b: layout.microBatch,
      B: 1536,
      sequenceParallel: layout.sequenceParallel,
      recompute: layout.recompute,
      zeroStage: 1,
      layers: 96,
      hidden: 12288,
      heads: 96,
    });
    // d is what is left of the world: N / (t·p)
    expect(1024 / (back.t * back.p)).toBe(layout.dataParallel);
  });

  it("GPT-3: the Slurm job asks for 256 gpuA100x4 nodes of 4 GPUs, one torchrun per node, and passes bash -n", () => {
    const dir = tempDir();
    const written = writeExport({ ...gpt3Plan, timeLimit: "12:00:00" }, "slurm", dir);
    expect(written.map((p) => p.slice(dir.length + 1)).sort()).toEqual(["job.sbatch", "megatron-args.txt"]);
    const script = readFileSync(join(dir, "job.sbatch"), "utf8");
    expect(spawnSync("bash", ["-n", join(dir, "job.sbatch")]).status).toBe(0);
    expect(parseSbatchOptions(script)).toMatchObject({
      partition: "gpuA100x4",
      nodes: "256",
      "gpus-per-node": "4",
      "ntasks-per-node": "1",
      exclusive: "true",
      time: "12:00:00",
    });
    expect(parseSbatchOptions(script).account).toMatch(/-gpu$/);
    expect(script).toMatch(/srun torchrun/);
    expect(script).toMatch(/--rdzv-backend=c10d/);
    expect(script).toMatch(/--rdzv-endpoint="\$head_node:29500"/);
    expect(script).toMatch(/^# module load/m);
    // the training command carries the same Megatron arguments
    const program = script.slice(script.indexOf("pretrain_gpt.py") + "pretrain_gpt.py".length).replace(/\\\n/g, " ").split(/\s+/).filter(Boolean);
    expect(program).toEqual(megatronArguments(gpt3Plan));
  });

  it("Llama 2 7B on 8 A40s: ZeRO-2 with CPU optimizer offload goes to DeepSpeed, fp16 with dynamic loss scaling", () => {
    const config = deepSpeedConfig(sevenB);
    expect(config).toEqual({
      train_batch_size: 64,
      train_micro_batch_size_per_gpu: 2,
      gradient_accumulation_steps: 4,
      gradient_clipping: 1,
      fp16: { enabled: true, loss_scale: 0, initial_scale_power: 16, loss_scale_window: 1000, hysteresis: 2, min_loss_scale: 1 },
      zero_optimization: { stage: 2, offload_optimizer: { device: "cpu" } },
    });
    const dir = tempDir();
    writeExport(sevenB, "slurm", dir);
    const script = readFileSync(join(dir, "job.sbatch"), "utf8");
    expect(parseSbatchOptions(script)).toMatchObject({ partition: "gpuA40x4", nodes: "2", "gpus-per-node": "4" });
    expect(script).toMatch(/--deepspeed_config ds_config\.json/);
    expect(JSON.parse(readFileSync(join(dir, "ds_config.json"), "utf8"))).toEqual(config);
    expect(() => megatronArguments(sevenB)).toThrow(/engine: Megatron-LM's distributed optimizer is ZeRO stage 1/);
  });

  it("interleaving writes --num-layers-per-virtual-pipeline-stage = l/(p·v)", () => {
    const args = parseMegatronArguments(megatronArguments({ ...gpt3Plan, virtualStages: 3 }));
    expect(args["--num-layers-per-virtual-pipeline-stage"]).toBe("1"); // 96 / (32 · 3)
    expect(planFromMegatron(args).v).toBe(3);
  });
});

describe("invalid layouts are refused, naming the rule, before anything is written", () => {
  const layout = gpt3Plan.layout;
  const cases: [string, Partial<LaunchPlan>, RegExp][] = [
    ["world size", { layout: { ...layout, dataParallel: 4 } }, /^world size: d·t·p = 4·4·32 = 512, but the job has 1024 GPUs/],
    ["batch", { globalBatch: 1540 }, /^batch: global batch 1540 is not divisible by micro-batch × data-parallel = 1·8 = 8/],
    ["layers", { virtualStages: 5 }, /^layers: 96 layers are not divisible by p·v = 32·5 = 160/],
    ["heads", { model: { ...gpt3, heads: 90 } }, /^heads: 90 attention heads are not divisible by t = 4/],
    ["sequence parallelism", { gpus: 256, layout: { ...layout, tensorParallel: 1, sequenceParallel: true } }, /^sequence parallelism: .*needs t > 1/],
    ["offload", { offloadParams: "cpu" }, /^offload: parameters can be offloaded only under ZeRO stage 3/],
  ];
  it.each(cases)("%s", (_rule, change, message) => {
    const dir = tempDir();
    expect(() => writeExport({ ...gpt3Plan, ...change }, "deepspeed", dir)).toThrow(LaunchPlanError);
    expect(() => writeExport({ ...gpt3Plan, ...change }, "slurm", dir)).toThrow(message);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("a node that is not Delta's has no partition", () => {
    expect(() => deltaSlurmScript({ ...gpt3Plan, node: findNode("dgx-a100-80gb") })).toThrow(/^Delta node: "dgx-a100-80gb" is not a Delta node type/);
  });

  it("a job larger than a node must fill whole nodes", () => {
    const six = { ...sevenB, gpus: 6, layout: { ...sevenB.layout, dataParallel: 6 }, globalBatch: 12 };
    expect(() => deltaSlurmScript(six)).toThrow(/^whole nodes: 6 GPUs do not fill whole 4-GPU nodes/);
  });
});

describe("efflab plan --export", () => {
  it("writes the three exports of the fastest GPT-3 plan on delta-a100x4", async () => {
    const dir = tempDir();
    for (const kind of ["deepspeed", "megatron", "slurm"]) {
      const r = await runCli(["plan", "--model", "gpt3", "--gpu", "delta-a100x4", "--gpus", "1024", "--export", kind, "--out", dir, "--top", "1"]);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/wrote .*(ds_config\.json|megatron-args\.txt|job\.sbatch) \(plan 1\)/);
    }
    expect(readdirSync(dir).sort()).toEqual(["ds_config.json", "job.sbatch", "megatron-args.txt"]);
  });

  it("carries the planner's offload into the DeepSpeed config and runs it with DeepSpeed (Llama 2 7B on 2 A40s)", async () => {
    const dir = tempDir();
    const r = await runCli(["plan", "--model", "llama2-7b", "--gpu", "delta-a40x4", "--gpus", "2", "--global-batch", "16", "--export", "slurm", "--out", dir]);
    expect(r.code).toBe(0);
    const config = JSON.parse(readFileSync(join(dir, "ds_config.json"), "utf8"));
    expect(config.zero_optimization.offload_optimizer).toEqual({ device: "cpu" });
    expect(config.train_batch_size).toBe(config.train_micro_batch_size_per_gpu * config.gradient_accumulation_steps * 2);
    const script = readFileSync(join(dir, "job.sbatch"), "utf8");
    expect(script).toMatch(/--deepspeed_config ds_config\.json/);
    // 2 GPUs share one node: no exclusive node, 2 GPUs and 2 workers on it
    expect(parseSbatchOptions(script)).toMatchObject({ nodes: "1", "gpus-per-node": "2", partition: "gpuA40x4" });
    expect(parseSbatchOptions(script).exclusive).toBeUndefined();
    expect(script).toMatch(/--nproc-per-node=2/);
  });

  it("ZeRO-3 with parameters offloaded writes offload_param and offload_optimizer", () => {
    const config = deepSpeedConfig({ ...sevenB, layout: { ...sevenB.layout, zeroStage: 3 }, offloadParams: "cpu" });
    expect(config.zero_optimization).toEqual({ stage: 3, offload_optimizer: { device: "cpu" }, offload_param: { device: "cpu" } });
  });

  it("exits 1 with the rule when the picked plan cannot run on the engine, and 2 when --out is missing", async () => {
    const dir = tempDir();
    const r = await runCli(["plan", "--model", "llama2-7b", "--gpu", "delta-a40x4", "--gpus", "8", "--global-batch", "64", "--export", "megatron", "--out", dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/cannot export plan 1: engine:/);
    const usage = await runCli(["plan", "--model", "gpt3", "--gpu", "delta-a100x4", "--gpus", "1024", "--export", "slurm"]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/--export and --out go together/);
  });
});
