package benchcorpus

// commonWords are frequent Vietnamese words of news and administrative
// text, beyond those of the fixture articles. Multi-syllable words are
// one entry: the generator emits them as a unit, so their syllables are
// adjacent as in real text. The order is roughly by frequency; the
// generator interleaves them with the fixture vocabulary.
const commonWords = `
người năm ngày tháng việc công việc kinh tế xã hội phát triển nhân dân
địa phương chính quyền nhà nước chính phủ thủ tướng bộ trưởng chủ tịch
ủy ban nhân dân hội đồng nhân dân đại biểu quốc hội cử tri tiếp xúc
doanh nghiệp đầu tư dự án công trình hạ tầng giao thông đường bộ cầu
nông nghiệp nông thôn nông dân sản xuất cây trồng vật nuôi lúa ngô sắn mía
thủy sản chăn nuôi lâm nghiệp rừng trồng rừng bảo vệ rừng thủy lợi đê điều
công nghiệp khu công nghiệp nhà máy lao động việc làm thu nhập đời sống
giáo dục đào tạo trường học học sinh sinh viên giáo viên thi tốt nghiệp
y tế bệnh viện bác sĩ sức khỏe khám chữa bệnh dịch bệnh tiêm chủng vắc xin
văn hóa thể thao du lịch lễ hội di tích di sản truyền thống bản sắc
khoa học công nghệ đổi mới sáng tạo chuyển đổi số chính quyền số dữ liệu
quốc phòng an ninh trật tự an toàn công an quân sự biên phòng dân quân
môi trường biến đổi khí hậu thiên tai bão lũ hạn hán sạt lở cứu hộ
tài chính ngân sách thuế thu chi đầu tư công giải ngân vốn tín dụng ngân hàng
thương mại xuất khẩu nhập khẩu thị trường giá cả hàng hóa dịch vụ
xây dựng nông thôn mới đô thị quy hoạch đất đai tài nguyên khoáng sản
giảm nghèo hộ nghèo an sinh xã hội chính sách người có công thương binh
liệt sĩ gia đình chính sách mẹ Việt Nam anh hùng tri ân đền ơn đáp nghĩa
thanh niên phụ nữ cựu chiến binh công đoàn mặt trận tổ quốc hội nông dân
đoàn viên hội viên tình nguyện mùa hè xanh hiến máu từ thiện khuyến học
tuyên truyền vận động phổ biến giáo dục pháp luật cải cách hành chính
thủ tục hành chính một cửa dịch vụ công trực tuyến hài lòng người dân
phòng chống tham nhũng lãng phí tiêu cực minh bạch trách nhiệm giải trình
thi đua khen thưởng bằng khen giấy khen cờ thi đua danh hiệu huân chương
điển hình tiên tiến gương người tốt việc tốt dân vận khéo mô hình
hội nghị hội thảo tọa đàm tập huấn bồi dưỡng lớp học quán triệt triển khai
sơ kết tổng kết đánh giá rút kinh nghiệm phương hướng nhiệm vụ giải pháp
kế hoạch chương trình đề án nghị quyết chỉ thị kết luận quy định hướng dẫn
thông báo quyết định công văn tờ trình báo cáo biên bản văn bản
ban chấp hành ban thường vụ thường trực bí thư phó bí thư ủy viên
cấp ủy chi ủy đảng ủy tỉnh ủy huyện ủy thành ủy thị ủy đảng viên mới
đại hội nhiệm kỳ bầu cử nhân sự cán bộ công chức viên chức người lao động
quy hoạch cán bộ luân chuyển bổ nhiệm điều động đánh giá xếp loại
phẩm chất năng lực uy tín trách nhiệm nêu gương người đứng đầu
tư tưởng đạo đức lối sống suy thoái tự diễn biến tự chuyển hóa
bảo vệ nền tảng tư tưởng đấu tranh phản bác quan điểm sai trái thù địch
mạng xã hội thông tin báo chí phóng viên truyền hình phát thanh cổng thông tin
huyện xã phường thị trấn thôn bản khu phố tổ dân phố làng xóm miền núi
vùng cao đồng bằng ven biển biên giới hải đảo dân tộc thiểu số đồng bào
Thanh Hóa Như Thanh Như Xuân Thọ Xuân Triệu Sơn Nông Cống Nghi Sơn Hoằng Hóa
Hậu Lộc Nga Sơn Hà Trung Vĩnh Lộc Thạch Thành Cẩm Thủy Ngọc Lặc Lang Chánh
Bá Thước Quan Hóa Quan Sơn Mường Lát Thường Xuân Yên Định Thiệu Hóa Đông Sơn
Quảng Xương Sầm Sơn Bỉm Sơn Hà Nội Nghệ An Ninh Bình Hải Phòng Đà Nẵng
sông Mã sông Chu Lam Kinh Hàm Rồng Bà Triệu Lê Lợi Lê Hoàn
hòa bình hòa hợp hòa giải thỏa thuận khỏe mạnh sức khỏe tùy theo thủy điện
lũy kế quy mô quý báu quý giá quý I quý II quý III quý IV
tăng cường nâng cao đẩy mạnh tiếp tục thực hiện tổ chức chỉ đạo lãnh đạo
kiểm tra giám sát kỷ luật kỷ cương thi hành vi phạm xử lý khắc phục
đoàn kết thống nhất dân chủ công khai tập trung dân chủ tự phê bình phê bình
hiệu quả chất lượng kết quả mục tiêu chỉ tiêu vượt kế hoạch hoàn thành
khó khăn thuận lợi hạn chế tồn tại nguyên nhân bài học kinh nghiệm
tích cực chủ động kịp thời nghiêm túc thường xuyên định kỳ đột xuất
đồng chí đồng bào bà con cử tri nhân dân quần chúng ưu tú
trao tặng trao quyết định chúc mừng biểu dương phát biểu chỉ đạo nhấn mạnh
tham dự chủ trì đồng chủ trì dự hội nghị tham quan thăm hỏi tặng quà
mừng Đảng mừng Xuân Tết Nguyên đán Ngày Quốc khánh ngày thành lập kỷ niệm
trung tâm chính trị trường chính trị học viện đại học cao đẳng trung cấp
sở kế hoạch sở tài chính sở nội vụ sở tư pháp sở công thương sở xây dựng
sở giao thông vận tải sở giáo dục sở y tế sở văn hóa sở nông nghiệp
ban tổ chức ban tuyên giáo ban dân vận ban nội chính ủy ban kiểm tra văn phòng
hợp tác xã trang trại nông sản sạch chuỗi giá trị OCOP sản phẩm đặc sản
điện lực nước sạch vệ sinh môi trường rác thải xử lý nước thải
an toàn giao thông tai nạn phòng cháy chữa cháy cứu nạn ma túy tội phạm
bình đẳng giới trẻ em người cao tuổi người khuyết tật bảo hiểm y tế bảo hiểm xã hội
khởi công khánh thành bàn giao nghiệm thu đưa vào sử dụng vận hành
mở rộng nâng cấp cải tạo sửa chữa đầu tư xây mới hoàn thiện
sáng kiến đề tài nghiên cứu ứng dụng chuyển giao tiến bộ kỹ thuật
`

// familyNames, middleNames and givenNames make author names.
var (
	familyNames  = []string{"Nguyễn", "Nguyễn", "Nguyễn", "Trần", "Lê", "Lê", "Phạm", "Hoàng", "Huỳnh", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Trịnh", "Mai", "Đào", "Lưu", "Cao", "Quách"}
	middleNames  = []string{"Văn", "Văn", "Thị", "Thị", "Minh", "Hữu", "Đức", "Quốc", "Thanh", "Ngọc", "Xuân", "Hồng", "Thu", "Kim", "Đình", "Công"}
	givenNames   = []string{"An", "Bình", "Cường", "Dũng", "Đức", "Giang", "Hà", "Hải", "Hạnh", "Hiền", "Hoa", "Hòa", "Hoàng", "Hùng", "Hương", "Khánh", "Lan", "Linh", "Long", "Mai", "Minh", "Nam", "Nga", "Ngọc", "Phương", "Quân", "Quý", "Sơn", "Tâm", "Thắng", "Thảo", "Thủy", "Thúy", "Trang", "Trung", "Tuấn", "Tùng", "Việt", "Vinh", "Yến", "Khỏe", "Hóa"}
	affiliations = []string{"", "", "", "", "Văn phòng Đảng ủy Khối", "Ban Tuyên giáo", "UBKT Đảng ủy Khối", "Đảng ủy Sở Y tế", "Trường Chính trị tỉnh", "Ban Tổ chức", "Đảng ủy Cục Thuế"}
	categories   = []string{"Tin tức chung", "Tin tức chung", "Tin tức chung", "Hoạt động của các tổ chức CSĐ trực thuộc", "Hoạt động của các tổ chức CSĐ trực thuộc", "Tư liệu", "Văn bản", "Xây dựng Đảng", "Dân vận", "Kiểm tra, giám sát", "Gương người tốt, việc tốt", "Học tập và làm theo Bác"}
)

// moreWords widen the vocabulary to the long tail of everyday Vietnamese:
// nature, family, work, feelings, food, crafts, places. They are rare in
// party news, so they come late in the frequency order.
const moreWords = `
bầu trời mặt đất mặt trăng ngôi sao đám mây cơn mưa gió mùa nắng gắt sương muối
cánh đồng ngọn núi dòng suối thác nước hồ ao đầm lầy bãi biển hòn đảo eo biển
cây tre cây đa bến nước sân đình mái nhà bức tường cánh cửa cửa sổ bậc thềm
ông bà cha mẹ anh chị em con cháu chú bác cô dì cậu mợ thím dượng họ hàng
vợ chồng hàng xóm bạn bè đồng nghiệp thầy trò khách mời chủ nhà
bữa cơm bát đũa nồi niêu mâm cỗ bánh chưng bánh giầy xôi chè nem rán phở bún
cá kho rau muống canh cua dưa cà nước mắm tương ớt gừng tỏi hành lá
con trâu con bò con lợn con gà con vịt con chó con mèo chim sẻ cò trắng
lúa chiêm lúa mùa gặt hái cày bừa cấy lúa tát nước nhổ mạ phơi thóc xay xát
thợ mộc thợ rèn thợ may thợ gốm nghề dệt nghề đan lát nghề chài lưới
buôn bán chợ phiên gánh hàng rong quán nước tiệm tạp hóa siêu thị
vui vẻ buồn bã lo lắng hồi hộp phấn khởi tự hào xúc động biết ơn
thương yêu nhớ nhung hy vọng tin tưởng quyết tâm kiên trì bền bỉ
nhanh chóng chậm chạp rộng rãi chật hẹp cao lớn thấp bé xa xôi gần gũi
sạch sẽ gọn gàng ngăn nắp lộn xộn ồn ào yên tĩnh náo nhiệt tấp nập
đi lại chạy nhảy leo trèo bơi lội ngồi đứng nằm ngủ thức dậy
ăn uống nấu nướng giặt giũ quét dọn lau chùi sửa sang trang trí
đọc viết nghe nói hỏi đáp kể chuyện hát múa vẽ tranh chụp ảnh
sáng sớm buổi trưa chiều tối đêm khuya rạng sáng hoàng hôn bình minh
mùa xuân mùa hạ mùa thu mùa đông tiết trời oi bức giá rét se lạnh
đỏ thắm xanh biếc vàng óng tím than nâu đất trắng muốt đen nhánh
khuôn mặt mái tóc đôi mắt bàn tay bàn chân trái tim lồng ngực bờ vai
ốm đau thuốc men băng bó phẫu thuật hồi phục xuất viện nhập viện
máy cày máy gặt xe đạp xe máy ô tô tàu hỏa tàu thủy máy bay
điện thoại máy tính màn hình bàn phím phần cứng mạng lưới trạm phát sóng
sách vở bút mực phấn bảng cặp sách thư viện phòng thí nghiệm
bóng đá bóng chuyền cầu lông bơi lội điền kinh cờ tướng võ thuật
đàn bầu sáo trúc trống đồng chiêng cồng hát chèo quan họ ca trù
đình chùa đền miếu nhà thờ lăng tẩm thành cổ cố đô thành nhà Hồ
hang động ruộng bậc thang đồi chè vườn cam rừng lim rừng luồng
gỗ quý đá vôi than đá quặng sắt cát sỏi xi măng gạch ngói thép
nhựa đường bê tông cốt thép giàn giáo cần cẩu máy xúc xe ben
khuyến nông khuyến ngư khuyến công giống mới phân bón thuốc trừ sâu
dịch tả lợn cúm gia cầm lở mồm long móng tiêu độc khử trùng
kênh mương trạm bơm hồ chứa đập tràn cống tiêu úng ngập
lũ quét lốc xoáy mưa đá rét đậm rét hại nắng nóng triều cường
học bổng khuyến tài thủ khoa á khoa giải nhất giải nhì giải ba huy chương
ngoại ngữ tiếng Anh tiếng Pháp tiếng Nga tiếng Trung tin học kỹ năng mềm
khởi nghiệp hộ kinh doanh cá thể tiểu thương làng nghề thương hiệu
xuất bản phát hành ấn phẩm tạp chí chuyên san bản tin nội bộ
triển lãm trưng bày hiện vật tư liệu quý phim tài liệu hồi ký
ký ức chứng nhân nhân chứng lịch sử cựu thanh niên xung phong
chiến trường chiến hào chiến sĩ trận đánh chiến công lập công
thương tật hy sinh mộ liệt sĩ nghĩa trang đài tưởng niệm dâng hương
thắp nến viếng thăm tưởng nhớ tri ân tưởng niệm tri âm tri kỷ
nguyện vọng kiến nghị khiếu nại tố cáo đơn thư hòa giải cơ sở
tranh chấp đất đai bồi thường giải phóng mặt bằng tái định cư
nhà ở xã hội chung cư khu đô thị mới hạ tầng kỹ thuật cấp thoát nước
chiếu sáng công cộng cây xanh đô thị vỉa hè lòng đường bến xe
cảng biển cảng cá luồng lạch phao tiêu hải đăng ngư dân tàu cá
vươn khơi bám biển đánh bắt xa bờ nuôi trồng nghêu sò tôm hùm
muối ăn ruộng muối diêm dân mùa muối làng chài vạn chài
khoai lang khoai sọ lạc vừng đậu tương đậu xanh bí đỏ bầu mướp
bưởi cam quýt chuối dứa vải nhãn xoài mít na ổi hồng xiêm
hoa sen hoa đào hoa mai hoa cúc hoa huệ hoa hồng hoa ban hoa gạo
chim én chim yến đàn cò cánh bướm con ong tổ kiến
ngay thẳng thật thà chăm chỉ cần cù siêng năng lười biếng cẩu thả
khiêm tốn giản dị mộc mạc chân chất hiền lành nhân hậu bao dung
nghiêm khắc nhẹ nhàng dịu dàng mạnh mẽ dũng cảm gan dạ kiên cường
`
