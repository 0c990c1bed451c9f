//! Deterministic generated posts for the size tests: a site of any size from a seed, with
//! cloud-industry vocabulary and Han characters drawn by their frequency in the sample posts,
//! so bigram statistics look like the real digest's.

use super::SearchDoc;

/// Han characters of the sample posts, most frequent first.
const CHAR_POOL: &str = concat!(
    "的云业计中算一国年在为是大务发了有金成服资数和用技新以产会展个行术上能不月公区方融据合来于创与心开内",
    "基等之人场投全实市企出面到自多商化地建力司平经作路日这理布要也支网规本如家后同时过对台动设入及下户联",
    "通信可付者高生里提将源量进最前应领分机式度重更阿定例并目向模加推比青主研期其蚂蚁运型点海已长第现域立",
    "优代元构存项宝腾带态利小相万互供器景部轮营而外客字增略智从品交战工位达特还划科间就关先局核论亿收讯持",
    "性线球件当解三程费正都势速需但华类社厂亚各济好未此美包超所说始管统总学处事保单名际他价造团打尔证员起",
    "集决案购专电放表首完道近具治示然接步体系或础额段低天易二消深标究我制共储族率果做助快条四得题盖州银丝",
    "马极无片头够较原容绸们括整少强样看流获宣格级着求由界芯足议队值今效两阶物直使文微软政图均疆园花十调积",
    "次析独没逊因非组依九活手息呗报随去码结几升边变世覆根被很种身意西广节贷财走策至断辉显些习责底层质选境",
    "注气准水明蒙款历指才续聚认风批必问环终何评维施峰斯再黄巴法频情门备架功趋适验影响伙伴东形转古别降盈想",
    "控测拟负巨且稳么占该份股拿给传链宁约券告把观让络刘迅回便早启熟己争子称捷途普那越盛董它贡献民编慧另空",
    "落话视署双配英知席逐思列引念密私混任参浪龙践签精医润破则扩况初虚异导致坚竞除借综概版白站五夏享铺卫搭",
    "口圈取安只受拥太谷泰限拉命截半讨每纳块常又办顺典召挥潮王围连左北协百预丰育累院城载克记键纷找游志号某",
    "减焦权采林难望试纪般红光索确迎庆退官币蓝右演障居缘富泛移沿简疗靓板健康张拓义胜撑歌买改择腿钱赛欧惠博",
    "什织清担票言候驰坛像旗余见山远阳佳征护米满众教陆缓追突乐训驱虽沙德托洲诞激赞委绕松筹千按背江京愿象卖",
    "店航尤属味装角硬周涵鄂承玛范充库招携戏车卷甚师归庞仅眼介似悉径善语举槛土史止杰色免益煤吉声兼靠故良抱",
    "牌幕李绝八照季讲衡岸复反繁努渐紧秀辑吾培垂置港枢纽央猫允牺牲换纯毛士亏缩瓶颈顾绍差否短却继须希仍刻壮",
    "热哪印春闻书帽爆促素盟针跃估唯吸谓缺探察呼副述切端凭养旧夯账倍厚栈爱府贵筑旅省温房税杆输释吞吐浮脸音",
    "武香荣农卡淘革跑露状裁损偶监丽徐哲宜耗练倚邀泉咨询真检握压座韩跨狂谋卓朗昆河毫执遍灵即跟册感盘轻补帮",
    "诸颇壁晚届登火授兴震静曲梦货考拆猛玩叫乃含净杂守慢你拼疫请弹油汇遇军烈曾冷浩乌楼石坦坡灾柜址干群疑桥",
    "售延住识防苏福芝麻缴扶险驳绿碳透勇寻锋惜冲顶羊脚蒋迈欣待订雅赖挑乾坐仑篇操雨详戴苹奠凯离抢摸佼圣芭猴",
    "鼎六束审幅伐魂亮往排觉她宇催龄岁誉杉媒永涛浙宽姜衰阐圆梁冰鞭薄卦帜既食句擅匹摆荡默赌错锐铁笔晰尚披猜",
    "涉失彻劲倒尽辟戳吧尾播彭觑恨料录读袖潜圳奖颁框栖俄窗炭遥兰栋南贸鲁木齐昌亩若村散朱喜倡欢迟符颗渲染擎",
    "申汉硅莫澳秉奏波许渠贫割邦骨陈涌页章跻扎履返怡临困扰诉剑衷凡访替掌伟兵舒挣暨鲲鹏昇坤尝扇疯迥萌芽脑笋",
    "耳弈碰撞扬词虎恐滞厘校祥避锁踊彰仿忘闹肩膀楚蓄派哥屏钟画扯鲜泼魅叶璐呆幸杜玉撺掇拒湖淳龚晨戈赶昕桌套",
);

/// Words of the digest's subject, used whole so that real queries find a realistic share
/// of posts.
const WORDS: &[&str] = &[
    "云计算",
    "阿里云",
    "腾讯云",
    "华为云",
    "青云",
    "百度智能云",
    "金山云",
    "天翼云",
    "移动云",
    "出海",
    "融资",
    "上市",
    "营收",
    "利润",
    "亏损",
    "毛利率",
    "同比增长",
    "战略",
    "生态",
    "数据中心",
    "东数西算",
    "算力",
    "边缘计算",
    "混合云",
    "公有云",
    "私有云",
    "容器",
    "开源",
    "人工智能",
    "大模型",
    "数字化转型",
    "数字中国",
    "政务云",
    "金融云",
    "蚂蚁金服",
    "数据库",
    "芯片",
    "服务器",
    "存储",
    "网络安全",
    "合作伙伴",
    "解决方案",
    "客户",
    "市场份额",
    "报告",
    "投资",
    "基金",
    "估值",
    "并购",
    "监管",
    "政策",
    "一带一路",
    "海外",
    "东南亚",
    "中东",
    "研发投入",
    "自研",
    "超大规模",
    "弹性计算",
    "对象存储",
    "分布式",
    "微服务",
    "运维",
];

/// Latin words as they appear in Chinese cloud news.
const LATIN: &[&str] = &[
    "OpenStack",
    "KubeSphere",
    "Kubernetes",
    "AWS",
    "Azure",
    "IaaS",
    "PaaS",
    "SaaS",
    "AI",
    "GPU",
    "CPU",
    "IDC",
    "Gartner",
    "QingCloud",
    "EasyStack",
    "VMware",
    "Linux",
    "API",
    "DevOps",
    "CDN",
    "5G",
    "IPO",
    "CEO",
    "Serverless",
    "Docker",
    "Redis",
    "MySQL",
    "ARM",
];

const CATEGORIES: &[&str] = &[
    "融资",
    "观察",
    "研究报告",
    "财报",
    "出海",
    "政策",
    "技术",
    "人物",
    "数据中心",
    "开源",
    "金融",
    "深度",
    "快讯",
    "访谈",
    "行业",
];

/// SplitMix64: tiny, deterministic, good enough for test data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// An index below `n` skewed towards 0, like word frequencies.
    fn skewed(&mut self, n: usize) -> usize {
        let r = (self.next() >> 11) as f64 / (1u64 << 53) as f64;
        ((r * r * r) * n as f64) as usize
    }
}

/// Text of about `len` characters.
fn text(rng: &mut Rng, pool: &[char], len: usize) -> String {
    let mut out = String::new();
    let mut n = 0;
    while n < len {
        let pick = rng.below(100);
        let piece: String = if pick < 8 {
            WORDS[rng.skewed(WORDS.len())].to_string()
        } else if pick < 11 {
            format!(" {} ", LATIN[rng.skewed(LATIN.len())])
        } else if pick < 14 {
            format!("{}", rng.below(3000))
        } else if pick < 22 {
            ["，", "。", "、", "；"][rng.below(4)].to_string()
        } else {
            (0..1 + rng.below(4))
                .map(|_| pool[rng.skewed(pool.len())])
                .collect()
        };
        n += piece.chars().count();
        out.push_str(&piece);
    }
    out
}

/// `n` posts, the same for the same `n` and `seed`; bodies average about `body_chars`.
pub(crate) fn generate(n: usize, seed: u64, body_chars: usize) -> Vec<SearchDoc> {
    let pool: Vec<char> = CHAR_POOL.chars().collect();
    let mut rng = Rng(seed);
    (0..n)
        .map(|i| {
            let year = 2014 + rng.below(11);
            let month = 1 + rng.below(12);
            let day = 1 + rng.below(28);
            let categories = vec![CATEGORIES[rng.skewed(CATEGORIES.len())].to_string()];
            let tags = (0..rng.below(4))
                .map(|_| WORDS[rng.skewed(WORDS.len())].to_string())
                .collect();
            let title_len = 8 + rng.below(20);
            let body_len = body_chars / 2 + rng.below(body_chars + 1);
            SearchDoc {
                url: format!("posts/{year}/{month:02}/post-{i}/"),
                title: text(&mut rng, &pool, title_len),
                date: Some(format!(
                    "{year}-{month:02}-{day:02}T{:02}:00:00+08:00",
                    rng.below(24)
                )),
                date_display: Some(format!("{year}年{month}月{day}日")),
                categories,
                tags,
                summary: text(&mut rng, &pool, 100),
                body: text(&mut rng, &pool, body_len),
            }
        })
        .collect()
}
