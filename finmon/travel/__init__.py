"""Air passenger screening: PAXLST manifests and passport MRZ against the same lists."""
