"""The command line's own words in Chinese (see `nnquiz.ui.cli_lang`).

`HELP`: the help pages. A command's text is keyed by its path below `nnquiz` ("" is the
root, "cache clear" a subcommand); its first line, up to the first 。 or ；, is its summary in
the command list. A parameter's text is keyed by "command --option" (or "command argument")
or, when every command means the same by it, by the option alone ("--topic").

`CLICK`: click's and typer's messages, keyed by their English text as their source has it
(`{name!r}`-style fields are filled in after translation).

The English help lives with the commands in `ui/cli.py`; `tests/ui/test_cli_lang.py` fails
when a command or option there has no entry here. `nnquiz dev` (for content authors) stays
in English, as the authors' guide does.
"""

from __future__ import annotations

_EXAMPLES = "示例："

HELP: dict[str, str] = {
    # ------------------------------------------------------------------ the root
    "": "神经网络与机器学习面试的命令行教练。\n\n"
    "用间隔重复练习概念题（中文或英文），再做由隐藏测试套件评分的编程练习（kata）。\n\n"
    f"{_EXAMPLES}\n\n  nnquiz ask --count 5\n\n  nnquiz review\n\n  nnquiz kata knn\n\n"
    "  nnquiz grade knn",
    "--version": "显示版本号后退出。",
    "--lang": "界面语言：en 或 zh（默认依次取 $NNQUIZ_LANG、`nnquiz config lang`，都没有则为 en）。",
    "--topic": "只要这个主题（可重复）。",
    "--seed": "固定出题顺序的随机种子（便于重来一遍同样的练习）。",
    "--json": "以稳定的 JSON 格式输出结果。",
    "--dir": "工作目录（默认：$NNQUIZ_WORKDIR，否则 ./nnquiz-work）。",
    "--file": "要评分的文件（默认：工作目录里的那个文件）。",
    "--new": "每天最多引入的新卡片数，排在到期卡片之后（与 Anki 相同）。",
    "slug": "kata 的名字。",
    # ------------------------------------------------------------------ quiz
    "ask": "出题练习；答案会被评分、讲解，并安排复习。\n\n"
    "在终端里可交互作答（选择题输入字母，判断题输入 t/f，简答题直接写；按 Ctrl-C 结束，"
    "已答的题都会保存）。不在终端时，每行读入一个答案。\n\n"
    f"{_EXAMPLES}\n\n  nnquiz ask --topic gan --count 5\n\n"
    "  nnquiz ask --type truefalse --lang zh\n\n"
    "  printf 'a\\nt\\n\\n' | nnquiz ask --count 3 --seed 7",
    "ask --type": "题型：choice、truefalse、open 或 code。",
    "ask --difficulty": "难度：1 热身，2 标准，3 困难。",
    "ask --count": "题目数量。",
    "ask --due": "先做到期要复习的卡片，再做新卡片（每天 --new 张）。",
    "review": "复习到期的卡片，然后是新卡片（每天最多 --new 张）；等同于 `nnquiz ask --due`。\n\n"
    f"{_EXAMPLES}\n\n  nnquiz review\n\n  nnquiz review --new 0（只复习到期的卡片）",
    "review --count": "最多复习多少张卡片。",
    "questions": "浏览和搜索题库。\n\n"
    f"{_EXAMPLES}\n\n  nnquiz questions --topic gan\n\n"
    '  nnquiz questions --search "mode collapse"\n\n'
    "  nnquiz questions --show gan-mode-collapse-definition --lang zh",
    "questions --search": "只列出包含这个词的题目。",
    "questions --show": "完整显示一道题及其答案。",
    "stats": "你的学习进度：答题数、各主题正确率、到期卡片、连续天数、kata 完成情况。\n\n"
    f"{_EXAMPLES}\n\n  nnquiz stats\n\n  nnquiz stats --json",
    "validate": "检查题库、你自己的题库（NNQUIZ_BANK）和 kata 目录。\n\n"
    "每个问题按 文件:行号: 说明 的格式输出；只要有问题，退出码就是 2。\n\n"
    f"{_EXAMPLES}\n\n  nnquiz validate\n\n  nnquiz validate my-questions/",
    "validate path": "要检查的 YAML 文件或文件夹（默认：全部检查）。",
    # ------------------------------------------------------------------ katas
    "kata": "列出所有 kata，或开始其中一个：用初始代码创建 DIR/<slug>.py，并显示说明。\n\n"
    f"{_EXAMPLES}\n\n  nnquiz kata\n\n  nnquiz kata knn\n\n"
    "  nnquiz kata random-forest --lang zh --dir ~/practice",
    "kata slug": "要开始的 kata；不写则列出全部。",
    "kata --reset": "用初始代码覆盖你的文件（旧文件另存为 .bak）。",
    "hint": "显示某个 kata 的下一条提示（提示逐条解锁，并会记住你看到了哪条）。\n\n"
    f"{_EXAMPLES}\n\n  nnquiz hint knn",
    "solution": "显示参考答案（你的文件通过之后，或加上 --force）。\n\n"
    f"{_EXAMPLES}\n\n  nnquiz solution knn",
    "solution --force": "还没通过也显示。",
    "grade": "用 kata 的隐藏测试检查你的文件；全部通过时退出码为 0，否则为 1。\n\n"
    f"{_EXAMPLES}\n\n  nnquiz grade knn\n\n  nnquiz grade knn --file my_knn.py --json\n\n"
    "  nnquiz grade --reference --jobs 2",
    "grade slugs": "要评分的 kata（配合 --reference 时可写多个，不写则全部）。",
    "grade --timeout": "时间限制，单位秒（默认：该 kata 自己的限制）。",
    "grade --reference": "CI 检查：每个参考答案都通过，每份初始代码都不通过。",
    "grade --jobs": "配合 --reference：同时评分的 kata 个数。",
    "grade --plot": "会画图的 kata：另外把图存成 PNG 文件（需要 matplotlib）。",
    "grade --verbose": "完整显示每个失败的测试（默认只显示前三个）。",
    "watch": "现在评分一次你的 kata 文件，以后每保存一次就再评一次（h：下一条提示，q：退出）。\n\n"
    f"{_EXAMPLES}\n\n  nnquiz watch knn",
    "watch --file": "监视这个文件，而不是工作目录里的文件。",
    "watch --interval": "检查文件是否保存的间隔，单位秒。",
    "mock": "限时模拟面试：先是混合的概念题（偏向你的薄弱主题），再做一个 kata，"
    "最后生成报告并保存（`nnquiz mock --last` 可再次查看）。\n\n"
    f"{_EXAMPLES}\n\n  nnquiz mock --minutes 30\n\n"
    "  nnquiz mock --topic gan --topic evaluation --kata gan-metrics\n\n"
    "  nnquiz mock --last --json",
    "mock --minutes": "面试时长（分钟）。",
    "mock --kata": "编程环节用的 kata（默认：按你的水平挑一个）。",
    "mock --last": "显示上一次模拟面试的报告。",
    # ------------------------------------------------------------------ progress, settings
    "export": "导出你的学习进度（答题记录、复习记录、kata 尝试），以便搬到另一台机器。\n\n"
    f"{_EXAMPLES}\n\n  nnquiz export --out progress.json\n\n"
    "  nnquiz export --format csv > progress.csv",
    "export --format": "格式：json 或 csv。",
    "export --out": "写入这个文件，而不是标准输出。",
    "import": "合并从另一台机器导出的进度；同一个文件导入两次不会重复添加。\n\n"
    f"{_EXAMPLES}\n\n  nnquiz import progress.json",
    "import file": "由 `nnquiz export` 写出的文件。",
    "config": "查看或保存你的偏好设置（保存在数据目录的 config.json 里）。\n\n"
    "`lang` 是所有命令的默认语言；--lang 和 NNQUIZ_LANG 优先于它。\n\n"
    f"{_EXAMPLES}\n\n  nnquiz config lang zh\n\n  nnquiz config lang\n\n"
    "  nnquiz config lang --unset",
    "config key": "设置项（lang）；不写则列出全部。",
    "config value": "新的值；不写则显示当前值。",
    "config --unset": "删除保存的值。",
    "cache": "管理参考结果的缓存。",
    "cache clear": "删除缓存的参考结果（下次评分时会重新计算）。\n\n"
    f"{_EXAMPLES}\n\n  nnquiz cache clear",
}

CLICK: dict[str, str] = {
    # help pages
    "Usage:": "用法：",
    "Options": "选项",
    "Arguments": "参数",
    "Commands": "命令",
    "Positional arguments": "位置参数",
    "Show this message and exit.": "显示本帮助后退出。",
    "default: {default}": "默认：{default}",
    "required": "必填",
    "env var: {var}": "环境变量：{var}",
    "(dynamic)": "（动态）",
    # usage errors
    "Error: {message}": "错误：{message}",
    "Try '{command} {option}' for help.": "运行 '{command} {option}' 查看帮助。",
    "No such option {name!r}.": "没有 {name!r} 这个选项。",
    "No such command {name!r}.": "没有 {name!r} 这个命令。",
    "Did you mean {possibility}?": "你是不是想用 {possibility}？",
    "(Did you mean one of: {possibilities}?)": "（你是不是想用其中之一：{possibilities}？）",
    "Option {name!r} requires an argument.": "选项 {name!r} 后面需要一个值。",
    "Option {name!r} requires {nargs} arguments.": "选项 {name!r} 后面需要 {nargs} 个值。",
    "Option {name!r} does not take a value.": "选项 {name!r} 不接受值。",
    "Argument {name!r} takes {nargs} values.": "参数 {name!r} 需要 {nargs} 个值。",
    "Got unexpected extra argument ({args})": "多出了参数（{args}）",
    "Got unexpected extra arguments ({args})": "多出了参数（{args}）",
    "Missing argument": "缺少参数",
    "Missing option": "缺少选项",
    "Missing parameter": "缺少参数",
    "Missing parameter: {param_name}": "缺少参数：{param_name}",
    "Missing command.": "缺少命令。",
    "Invalid value for {param_hint}: {message}": "{param_hint} 的值无效：{message}",
    "Invalid value: {message}": "值无效：{message}",
    "{value!r} is not a valid {number_type}.": "{value!r} 不是有效的 {number_type}。",
    "{value} is not in the range {range}.": "{value} 不在 {range} 范围内。",
    "{value!r} is not {choice}.": "{value!r} 不是 {choice}。",
    "{value!r} is not one of {choices}.": "{value!r} 不是 {choices} 之一。",
    "{name} {filename!r} does not exist.": "{name} {filename!r} 不存在。",
    "{name} {filename!r} is a directory.": "{name} {filename!r} 是一个文件夹。",
    "{name} {filename!r} is a file.": "{name} {filename!r} 是一个文件。",
    "{name} {filename!r} is not readable.": "{name} {filename!r} 不可读。",
    "{name} {filename!r} is not writable.": "{name} {filename!r} 不可写。",
    "Could not open file {filename!r}: {message}": "无法打开文件 {filename!r}：{message}",
    "file": "文件",
    "directory": "文件夹",
    "path": "路径",
    "Aborted!": "已中止。",
}
