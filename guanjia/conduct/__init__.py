"""服务规范与奖惩 (spec §07, §23): service standards, spot checks, rewards and penalties."""
