"""finmon at national scale: the same screening and monitoring code run on a cluster engine."""
