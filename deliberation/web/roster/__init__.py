"""协商成员 (/roster): seats, members, the standing rules and the categories."""
