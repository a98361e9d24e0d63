"""区域汇总 (/rollup): an officer's area, compound by compound, and its escalations."""
