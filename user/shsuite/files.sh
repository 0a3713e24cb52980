# files.sh: archives and compression, copies, moves and links.

mkdir -p src/sub
printf 'alpha\n' > src/a
seq 1 2000 > src/sub/numbers
printf 'x%.0s' $(seq 1 300) > src/sub/xs
tar -czf arc.tgz src
check "tar -czf makes a gzip file" "$(od -An -tx1 -N2 arc.tgz | tr -d ' ')" "1f8b"
mkdir out
tar -xzf arc.tgz -C out
check "tar -xzf round trip" "$(cmp src/sub/numbers out/src/sub/numbers && cmp src/a out/src/a && cmp src/sub/xs out/src/sub/xs && echo same)" "same"
check "tar -tzf lists" "$(tar -tzf arc.tgz | sort | tr '\n' ' ')" "src/ src/a src/sub/ src/sub/numbers src/sub/xs "
check "tar through a pipe and gzip -d" "$(tar -cf - src | gzip -c | gzip -dc | tar -tf - | grep -c numbers)" "1"
gzip -c src/sub/numbers > n.gz
check "gzip compresses" "$([ $(wc -c < n.gz) -lt $(wc -c < src/sub/numbers) ] && echo smaller)" "smaller"
check "zcat" "$(zcat n.gz | tail -n 1)" "2000"
check "gunzip" "$(gunzip n.gz && tail -n 1 n && [ ! -e n.gz ] && echo gone)" "2000
gone"
check "md5sum" "$(printf abc | md5sum | cut -d' ' -f1)" "900150983cd24fb0d6963f7d28e17f72"
check "cp -r, mv, rm -r" "$(cp -r src copy && mv copy moved && cat moved/a && rm -r moved && [ ! -e moved ] && echo removed)" "alpha
removed"
check "ln -s and readlink" "$(ln -s src/a lnk && readlink lnk && cat lnk)" "src/a
alpha"
check "ls -l of a file" "$(ls -l src/a | cut -c 1-10)" "-rw-r--r--"
check "dd" "$(dd if=src/sub/numbers bs=4 count=2 2>/dev/null)" "1
2
3
4"
check "stat -c %s" "$(stat -c %s src/sub/xs)" "300"
