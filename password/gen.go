package password

// common.txt is built from the Openwall list that Debian's john-data package
// installs (apt-get install john-data), plus a few local words. Only entries
// of 8 or more characters are kept, because Check refuses shorter ones anyway;
// the list is ASCII, so awk's byte length is the character count.
//
//go:generate sh -c "{ grep -v '^#!comment:' /usr/share/john/password.lst; printf '%s\\n' peercircle peercircle1 peercircle123 peersupport supportgroup staffgroup password1 password123 p@ssw0rd passw0rd 12345678 123456789 1234567890 87654321 12341234 11223344 123123123 11111111 00000000 qwertyuiop qwerty123 1q2w3e4r 1qaz2wsx abcd1234 welcome1 welcome123 letmein1 changeme iloveyou; } | tr A-Z a-z | awk 'length >= 8' | LC_ALL=C sort -u > common.txt"
