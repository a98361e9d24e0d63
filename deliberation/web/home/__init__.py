"""工作台 (/home): what needs doing next in the current compound."""
