/** Pruning, quantization, distillation and tfjs model export: the pure parts (see README.md). */
export * from './schedule';
export * from './masks';
export * from './quantize';
export * from './share';
export * from './permute';
export * from './manifest';
export * from './archive';
export * from './report';
export * from './distill';
export * from './crc32';
export * from './plan';
