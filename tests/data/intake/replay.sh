#!/bin/sh
# Replays the bundled intakes of 2026.11 (issue 16) on the repository in the current directory, as the clerks did:
# each step is the real command with --commit, authored by the clerk who did it (the pre-commit hooks run as usual).
# The incoming files are those beside this script, as the sending units sent them.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
DANGAN=${DANGAN:-.venv/bin/dangan}
as() {  # as 姓名（单位） email  command...
    who=$1 mail=$2; shift 2
    GIT_AUTHOR_NAME=$who GIT_AUTHOR_EMAIL=$mail "$@"
}
LIMING="李明（市财政局人事科）" LIMING_MAIL=liming@czj.example.invalid
ZHANGHUA="张华（市委组织部干部档案室）" ZHANGHUA_MAIL=zhanghua@zzb.example.invalid

# 阳泉市财政局 → 市财政局: 任免 2026.08.10, sent late (送到 2026.11.18); no 公务员登记表 — accepted, to be completed
as "$LIMING" $LIMING_MAIL $DANGAN transfer in "$HERE/陈瑞晨.yaml" --notice 阳组档转〔2026〕15号 --via 机要交通 \
    --unit 市财政局 --appointed 2026.08.10 --arrived 2026.11.18 --date 2026.11.19 --pages 128 --materials 48 \
    --flaw "齐全完整:缺公务员登记表（第九类），已通知阳泉市财政局补送" --accept --by "$LIMING" --as-of 2026.11.19 --commit
as "$LIMING" $LIMING_MAIL $DANGAN transfer receipt 阳组档转〔2026〕15号 --date 2026.11.20 --as-of 2026.11.20 --commit

# 襄垣县委组织部 → 市委组织部: 任免 2026.10.30, 送到 2026.11.20, nothing found
as "$ZHANGHUA" $ZHANGHUA_MAIL $DANGAN transfer in "$HERE/王瑞.yaml" --notice 襄组档转〔2026〕31号 --via 专人送取 \
    --unit 市委组织部 --appointed 2026.10.30 --arrived 2026.11.20 --date 2026.11.21 --pages 88 --materials 29 \
    --by "$ZHANGHUA" --as-of 2026.11.21 --commit
as "$ZHANGHUA" $ZHANGHUA_MAIL $DANGAN transfer receipt 襄组档转〔2026〕31号 --date 2026.11.21 --as-of 2026.11.21 --commit

# 襄垣县委组织部 → 市财政局: 出生年月 determined against the earliest record — returned for redetermination
as "$LIMING" $LIMING_MAIL $DANGAN transfer in "$HERE/张帅鑫.yaml" --notice 襄组档转〔2026〕32号 --via 机要交通 \
    --unit 市财政局 --appointed 2026.11.02 --arrived 2026.11.20 --date 2026.11.21 \
    --flaw "内容真实:出生年月认定为 1997.10，依据 2023 年任免审批表；最早的入团志愿书、高中毕业生登记表均记载 1997.04" \
    --return --reason "出生年月认定不准确（未按最早记载认定，也没有第五类批复），请重新认定后转递" \
    --by "$LIMING" --as-of 2026.11.21 --commit

# 襄垣县委组织部 → 市财政局: 任免 2026.09.15, 送到 2026.11.21 (late); 参加工作时间 determined wrongly — accepted,
# the 市委组织部 corrects the determination
as "$LIMING" $LIMING_MAIL $DANGAN transfer in "$HERE/王思.yaml" --notice 襄组档转〔2026〕33号 --via 机要交通 \
    --unit 市财政局 --appointed 2026.09.15 --arrived 2026.11.21 --date 2026.11.24 --pages 68 --materials 26 \
    --flaw "内容真实:参加工作时间认定为 2022.09（依据公务员登记表的报到时间），干部履历表、公务员录用审批表和简历均为 2022.07，由市委组织部改正认定" \
    --accept --by "$LIMING" --as-of 2026.11.24 --commit
as "$LIMING" $LIMING_MAIL $DANGAN transfer receipt 襄组档转〔2026〕33号 --date 2026.11.25 --as-of 2026.11.25 --commit
NUMBER=$(sed -n 's/^  编号: \(C[0-9]*\)$/\1/p' ledgers/转递.yaml | tail -1)
as "$ZHANGHUA" $ZHANGHUA_MAIL $DANGAN determine "$NUMBER" 参加工作时间 2022.07 --old 2022.09 --basis 1-1 --basis 9-2-1 \
    --by 中共长治市委组织部 --doc 长组审〔2026〕19号 --date 2026.11.25 \
    --note "干部履历表、公务员录用审批表记载 2022.07 参加工作，襄组审〔2023〕5号按报到时间认定为 2022.09 不准确，予以改正" \
    --as-of 2026.11.25 --commit

# 晋城市财政局 → 市财政局: the 整改 of 晋组档转〔2026〕14号 (入党志愿书 now there), 任免 2026.10.20, 送到 2026.11.24
as "$LIMING" $LIMING_MAIL $DANGAN transfer in "$HERE/宋洁晶.yaml" --notice 晋组档转〔2026〕16号 --via 机要交通 \
    --unit 市财政局 --appointed 2026.10.20 --arrived 2026.11.24 --date 2026.11.25 --pages 99 --materials 34 \
    --by "$LIMING" --as-of 2026.11.25 --commit
